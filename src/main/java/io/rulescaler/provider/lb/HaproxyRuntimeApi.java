package io.rulescaler.provider.lb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HAProxy runtime API endpoint ({@code stats socket ... level admin}), spoken to in its non-interactive
 * mode: one connection per command, the answer is everything read until HAProxy closes.
 * Addresses: {@code host:port} (TCP) or {@code unix:/path/to/admin.sock}.
 */
public final class HaproxyRuntimeApi {

    private final String address;
    private final Duration timeout;

    public HaproxyRuntimeApi(String address, Duration timeout) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("HAProxy runtime API address is empty (loadBalancer.address)");
        }
        this.address = address.trim();
        this.timeout = timeout;
    }

    public String address() {
        return address;
    }

    /** Sends one command and returns HAProxy's answer (trimmed). */
    public String command(String command) throws IOException {
        if (command.contains("\n") || command.contains(";")) {
            throw new IllegalArgumentException("one HAProxy command at a time, without ';' or newlines");
        }
        byte[] request = (command + "\n").getBytes(StandardCharsets.US_ASCII);
        if (address.startsWith("unix:")) {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(address.substring(5)))) {
                channel.write(ByteBuffer.wrap(request));
                return readAll(Channels.newInputStream(channel));
            }
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("HAProxy runtime API address must be host:port or unix:/path, was " + address);
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        in.transferTo(answer);
        return answer.toString(StandardCharsets.UTF_8).trim();
    }
}
