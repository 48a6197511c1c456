#!/bin/sh
# Cold time of `check-rules` on the shipped rules from the packaged jar (run ./mvnw package -DskipTests first).
cd "$(dirname "$0")/.." && for i in 1 2 3; do /usr/bin/time -f "BENCH check-rules cold wall_s=%e max_rss_kb=%M" java -jar target/quarkus-app/quarkus-run.jar check-rules src/main/resources/rules >/dev/null; done
