# CP Hub image. Build the jar first: ./mvnw -DskipTests package
#
# First stage: the hub unpacked and started once to learn which classes a start loads (bin/cds-archive, README
# "Start-up"), so that the image starts faster: after a crash or an out-of-memory exit, its restart takes reports again
# sooner. Only the unpacked hub and the list of classes leave this stage.
FROM eclipse-temurin:17-jre AS classes
WORKDIR /opt/cphub
COPY target/cphub.jar /tmp/cphub.jar
COPY config/ config/
COPY routes/ routes/
COPY connectors/ connectors/
COPY bin/cds-archive bin/
RUN bin/cds-archive /tmp/cphub.jar /opt/cphub/app && rm app/cphub.jsa

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /opt/cphub cphub && mkdir -p /var/lib/cphub && chown cphub /var/lib/cphub
WORKDIR /opt/cphub
COPY --from=classes /opt/cphub/app/ app/
# The class-data-sharing archive is written here, over the files it will be used with: the JVM checks the jars' sizes
# and times against it, and without a match it starts without the archive (slower, nothing else changes).
RUN java -Xshare:dump -XX:SharedClassListFile=/opt/cphub/app/cphub.classlist -XX:SharedArchiveFile=/opt/cphub/app/cphub.jsa \
      -cp /opt/cphub/app/cphub.jar \
      > /tmp/cds-dump.log 2>&1 || { tail -n 40 /tmp/cds-dump.log; exit 1; }; rm /tmp/cds-dump.log
COPY config/ config/
COPY routes/ routes/
COPY connectors/ connectors/
ENV CPHUB_HOME=/opt/cphub \
    CPHUB_DATA_DIR=/var/lib/cphub
VOLUME /var/lib/cphub
EXPOSE 8080 2575 5060/udp 5060/tcp
USER cphub
# Half of the container's memory for the heap: the JVM holds about 390 MB besides it (classes, JIT code, G1,
# threads, glibc), so at 75 % a container under about 1.5 GB would be killed by the kernel once the heap filled; give
# the container at least 1 GB (a heap of 384 MB or more: README, "Memory").
# A JVM out of heap exits (code 3) and the restart policy starts it again: without the flag it lived on with a
# dead HTTP poller and a closed H2 store, answering nobody (bench/RESULTS.md, "Memory: where the RSS goes").
# Everything it had answered for is on the broker's disk and is delivered after the restart.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/cphub/app/cphub.jsa", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/cphub/app/cphub.jar"]
