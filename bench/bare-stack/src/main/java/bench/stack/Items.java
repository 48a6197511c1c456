package bench.stack;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** The one REST endpoint of the bare stack (REST Jackson present and used). */
@Path("/items")
public class Items {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Long> count() {
        return Map.of("items", Item.count());
    }
}
