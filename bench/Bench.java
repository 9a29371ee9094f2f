// The throughput benchmark's own programs (JDK only, run as a single source file: java bench/Bench.java ...).
//   sink    --port P [--log FILE]                 a fast partner: 200 to every POST, records arrival time,
//                                                 path and incident id; GET /control?status=503&delayMs=0
//                                                 changes its answer; GET /stats counts; GET /dump writes the log
//   http    --url U --user ID:SECRET --connections N --seconds S [--rate R] [--priority P] [--out FILE]
//           [--count N] [--warm-client true]      posts unique synthetic incidents as fast as accepted (or at R/s);
//                                                 warm-client: a few GETs of the hub's health before the first post,
//                                                 so that its 202 latency is not this client's own first request
//   mllp    --port P --connections N --rate R --seconds S
//                                                 relevant HL7 ADT^A04 messages over raw MLLP; ACK latency
//   report  --accepts FILE[,FILE] --sink FILE --referrals N [--since MS]
//                                                 delivered/s and accept->delivered latency from the two logs
//   escalations --accepts FILE --sink FILE        the clock escalations of those incidents: due->delivered latency
// All data is synthetic. Loopback only.
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

public class Bench {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "sink" -> sink(o);
            case "http" -> http(o);
            case "mllp" -> mllp(o);
            case "report" -> report(o);
            case "escalations" -> escalations(o);
            default -> throw new IllegalArgumentException("sink | http | mllp | report | escalations");
        }
        if (!"sink".equals(args[0])) {
            System.exit(0); // the HTTP client's threads would keep the JVM
        }
    }

    // ---- sink ------------------------------------------------------------------------------------------

    private static final Pattern INCIDENT = Pattern.compile("\"incidentId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern RECEIVED_AT = Pattern.compile("\"receivedAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PRIORITY = Pattern.compile("\"priority\"\\s*:\\s*(\\d)");
    /** the hub's clock escalations (to the supervisor partner): counted apart from the referrals */
    private static final Pattern ESCALATION = Pattern.compile("\"kind\"\\s*:\\s*\"clock-escalation\"");
    /** an escalation's moment: its dueAt; before the hub wrote it, its deadline (breach) or 75 % of its clock (warning) */
    private static final Pattern DUE_AT = Pattern.compile("\"dueAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STARTED_AT = Pattern.compile("\"startedAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern DEADLINE = Pattern.compile("\"deadline\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STAGE = Pattern.compile("\"stage\"\\s*:\\s*\"([a-z]+)\"");

    static void sink(Map<String, String> o) throws Exception {
        int port = Integer.parseInt(o.get("port"));
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        AtomicInteger status = new AtomicInteger(200);
        AtomicLong delayMs = new AtomicLong(0);
        AtomicLong arrivals = new AtomicLong();
        AtomicLong escalations = new AtomicLong();
        Map<String, AtomicLong> keys = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/", exchange -> {
            try {
                String path = exchange.getRequestURI().getPath();
                if ("GET".equals(exchange.getRequestMethod())) {
                    String answer = "";
                    if (path.equals("/control")) {
                        Map<String, String> q = query(exchange.getRequestURI().getQuery());
                        if (q.containsKey("status")) {
                            status.set(Integer.parseInt(q.get("status")));
                        }
                        if (q.containsKey("delayMs")) {
                            delayMs.set(Long.parseLong(q.get("delayMs")));
                        }
                        answer = "status=" + status.get() + " delayMs=" + delayMs.get();
                    } else if (path.equals("/stats")) {
                        long twice = keys.values().stream().filter(n -> n.get() > 1).count();
                        answer = "arrivals=" + arrivals.get() + " escalations=" + escalations.get() + " keys=" + keys.size()
                                + " keysTwice=" + twice;
                    } else if (path.equals("/dump")) {
                        Path file = Path.of(o.get("log"));
                        List<String> lines = new ArrayList<>(log);
                        Files.write(file, lines);
                        answer = "dumped " + lines.size();
                    }
                    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    return;
                }
                long now = System.currentTimeMillis();
                byte[] body = exchange.getRequestBody().readAllBytes();
                int answer = status.get();
                if (answer == 200) {
                    arrivals.incrementAndGet();
                    String text = new String(body, StandardCharsets.UTF_8);
                    boolean escalation = ESCALATION.matcher(text).find();
                    if (escalation) {
                        escalations.incrementAndGet();
                    }
                    Matcher m = INCIDENT.matcher(text);
                    Matcher received = RECEIVED_AT.matcher(text);
                    Matcher priority = PRIORITY.matcher(text);
                    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                    // the fifth column: when the hub received the incident; for an escalation, when its stage came due
                    long at = escalation ? dueAt(text) : received.find() ? java.time.Instant.parse(received.group(1)).toEpochMilli() : 0;
                    log.add(now + "," + path + "," + (m.find() ? m.group(1) : "-") + "," + key + "," + at + ","
                            + (priority.find() ? priority.group(1) : 0));
                    if (key != null) {
                        keys.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                    }
                }
                long delay = delayMs.get();
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                exchange.sendResponseHeaders(answer, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        System.out.println("sink listening on " + port);
    }

    static long dueAt(String escalation) {
        Matcher due = DUE_AT.matcher(escalation);
        if (due.find()) {
            return java.time.Instant.parse(due.group(1)).toEpochMilli();
        }
        Matcher started = STARTED_AT.matcher(escalation);
        Matcher deadline = DEADLINE.matcher(escalation);
        Matcher stage = STAGE.matcher(escalation);
        if (!started.find() || !deadline.find() || !stage.find()) {
            return 0;
        }
        long start = java.time.Instant.parse(started.group(1)).toEpochMilli();
        long end = java.time.Instant.parse(deadline.group(1)).toEpochMilli();
        return stage.group(1).equals("warning") ? start + (end - start) * 75 / 100 : end;
    }

    // ---- http load -------------------------------------------------------------------------------------

    static void http(Map<String, String> o) throws Exception {
        URI url = URI.create(o.get("url"));
        String auth = "Basic " + Base64.getEncoder().encodeToString(o.get("user").getBytes(StandardCharsets.UTF_8));
        int connections = Integer.parseInt(o.getOrDefault("connections", "16"));
        long seconds = Long.parseLong(o.getOrDefault("seconds", "30"));
        long count = Long.parseLong(o.getOrDefault("count", String.valueOf(Long.MAX_VALUE)));
        double rate = Double.parseDouble(o.getOrDefault("rate", "0"));
        int priority = Integer.parseInt(o.getOrDefault("priority", "3"));
        String run = o.getOrDefault("run", UUID.randomUUID().toString().substring(0, 8));
        Path out = Path.of(o.getOrDefault("out", "/dev/null"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4)).build();
        if (Boolean.parseBoolean(o.getOrDefault("warm-client", "false"))) {
            // this client's own first request (its classes, its connection) is not the hub's: a few GETs of the
            // hub's health first, so that the first post's 202 latency is the hub's
            for (int i = 0; i < 5; i++) {
                client.send(HttpRequest.newBuilder(url.resolve("/actuator/health")).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            int thread = t;
            threads.add(started(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    long i = sent.getAndIncrement();
                    if (i >= count) {
                        return;
                    }
                    if (rate > 0) {
                        long due = start + (long) (i * 1e9 / rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            sleepNanos(wait);
                        }
                    }
                    String eventId = "B-" + run + "-" + thread + "-" + (n++);
                    byte[] body = incident(eventId, priority).getBytes(StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                        if (r.statusCode() == 202) {
                            latencies.add(t1 - t0);
                            Matcher m = INCIDENT.matcher(r.body());
                            if (m.find()) {
                                accepted.add(System.currentTimeMillis() + "," + m.group(1) + "," + priority);
                            }
                        }
                    } catch (Exception e) {
                        statuses.computeIfAbsent(-1, k -> new AtomicLong()).incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        Files.write(out, accepted);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "http: %d accepted in %.1f s = %.0f/s (priority %d, %d connections); answers %s; 202 latency p50 %.1f ms p99 %.1f ms%n",
                accepted.size(), took, accepted.size() / took, priority, connections, statuses,
                percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6);
    }

    static String incident(String eventId, int priority) {
        return "{\"schemaVersion\":\"1\",\"messageType\":\"alert\",\"source\":{\"system\":\"hotline-crm\",\"eventId\":\"" + eventId
                + "\",\"channel\":\"hotline\"},\"occurredAt\":\"2026-11-28T14:05:00+07:00\",\"category\":\"violence\","
                + "\"certainty\":\"suspected\",\"priority\":" + priority + ",\"signsOfCrime\":true,"
                + "\"location\":{\"commune\":\"Hong Gai\",\"district\":\"Ha Long\"},"
                + "\"subjects\":[{\"role\":\"victim\",\"age\":9,\"sex\":\"female\"}],"
                + "\"codes\":[{\"system\":\"ICD-10\",\"code\":\"T74.1\"}],"
                + "\"narrative\":\"Synthetic benchmark report " + "x".repeat(600) + "\",\"legalBasis\":\"crime_prevention\"}";
    }

    // ---- mllp load -------------------------------------------------------------------------------------

    static void mllp(Map<String, String> o) throws Exception {
        int port = Integer.parseInt(o.get("port"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "8"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "200"));
        long seconds = Long.parseLong(o.getOrDefault("seconds", "30"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<String, AtomicLong> codes = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        double perConnection = rate / connections;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            threads.add(started(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    for (long n = 0; System.nanoTime() < end; n++) {
                        long due = start + (long) (n * 1e9 / perConnection);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            sleepNanos(wait);
                        }
                        String id = "BM" + run + connection + "x" + n;
                        String message = String.join("\r",
                                "MSH|^~\\&|HIS|BAICHAY_HOSP|CPHUB|QN|20261128140500+0700||ADT^A04^ADT_A01|" + id + "|P|2.5.1",
                                "EVN|A04|20261128140500",
                                // a child of its own per message (the same name and birth date would link every
                                // report to every earlier one)
                                "PID|1||" + id + "^^^BAICHAY_HOSP^MR||Benchmark^Synthetic" + id + "||20170415|F",
                                "PV1|1|E",
                                "DG1|1||T74.1^Physical abuse^I10") + "\r";
                        long t0 = System.nanoTime();
                        out.write(0x0b);
                        out.write(message.getBytes(StandardCharsets.UTF_8));
                        out.write(new byte[] {0x1c, 0x0d});
                        out.flush();
                        StringBuilder ack = new StringBuilder();
                        int b;
                        while ((b = in.read()) >= 0 && b != 0x1c) {
                            ack.append((char) b);
                        }
                        in.read(); // the closing CR
                        latencies.add(System.nanoTime() - t0);
                        int msa = ack.indexOf("MSA|");
                        String code = msa < 0 ? "none" : ack.substring(msa + 4, msa + 6);
                        codes.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
                    }
                } catch (IOException e) {
                    codes.computeIfAbsent("error " + e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "mllp: %d messages in %.1f s = %.0f/s over %d connections; ACKs %s; ACK latency p50 %.1f ms p99 %.1f ms%n",
                sorted.size(), took, sorted.size() / took, connections, codes, percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6);
    }

    // ---- report ----------------------------------------------------------------------------------------

    static void report(Map<String, String> o) throws Exception {
        // incidentId -> {acceptedMs, priority}: from the load's own log (--accepts), else from what the partners
        // received (the hub's receivedAt, in every referral): --since/--until select incidents by that time
        Map<String, long[]> accepted = new HashMap<>();
        List<String> sinkLines = Files.readAllLines(Path.of(o.get("sink")));
        long since = Long.parseLong(o.getOrDefault("since", "0"));
        long until = Long.parseLong(o.getOrDefault("until", String.valueOf(Long.MAX_VALUE)));
        if (o.containsKey("accepts")) {
            for (String file : o.get("accepts").split(",")) {
                for (String line : Files.readAllLines(Path.of(file))) {
                    String[] f = line.split(",");
                    accepted.put(f[1], new long[] {Long.parseLong(f[0]), Long.parseLong(f[2])});
                }
            }
        } else {
            for (String line : sinkLines) {
                String[] f = line.split(",");
                long at = f.length > 4 ? Long.parseLong(f[4]) : 0;
                int priority = f.length > 5 ? Integer.parseInt(f[5]) : 0;
                if (at > 0 && !isEscalation(f) && at >= since && at <= until && (!o.containsKey("priority") || o.get("priority").equals(f[5]))) {
                    accepted.putIfAbsent(f[2], new long[] {at, priority});
                }
            }
        }
        int referrals = Integer.parseInt(o.getOrDefault("referrals", "2"));
        Map<String, List<Long>> arrivals = new HashMap<>();
        for (String line : sinkLines) {
            String[] f = line.split(",");
            if (accepted.containsKey(f[2]) && !isEscalation(f)) {
                arrivals.computeIfAbsent(f[2], k -> new ArrayList<>()).add(Long.parseLong(f[0]));
            }
        }
        List<Long> all = new ArrayList<>();
        List<Long> urgent = new ArrayList<>();
        List<Long> urgentFirst = new ArrayList<>();
        long firstAccept = Long.MAX_VALUE, lastAccept = 0, lastDelivery = 0;
        int complete = 0;
        for (var e : accepted.entrySet()) {
            long at = e.getValue()[0];
            firstAccept = Math.min(firstAccept, at);
            lastAccept = Math.max(lastAccept, at);
            List<Long> got = arrivals.getOrDefault(e.getKey(), List.of());
            if (got.size() >= referrals) {
                complete++;
                long done = Collections.max(got);
                lastDelivery = Math.max(lastDelivery, done);
                all.add(done - at);
                if (e.getValue()[1] == 1) {
                    urgent.add(done - at);
                    urgentFirst.add(Collections.min(got) - at);
                }
            }
        }
        Collections.sort(all);
        Collections.sort(urgent);
        Collections.sort(urgentFirst);
        double acceptWindow = Math.max(1, lastAccept - firstAccept) / 1000.0;
        double deliverWindow = Math.max(1, lastDelivery - firstAccept) / 1000.0;
        System.out.printf(Locale.ROOT, "report: %d accepted over %.1f s (%.0f/s); %d with all %d referrals delivered, last %.1f s after the first accept (%.0f incidents/s end to end); not delivered %d%n",
                accepted.size(), acceptWindow, accepted.size() / acceptWindow, complete, referrals, deliverWindow, complete / deliverWindow,
                accepted.size() - complete);
        System.out.printf(Locale.ROOT, "report: accept->delivered p50 %d ms p99 %d ms max %d ms%n",
                (long) percentile(all, 50), (long) percentile(all, 99), all.isEmpty() ? 0 : all.get(all.size() - 1));
        // incidents completed per 10 s window, from the first accept: the rate the hub sustains once warm
        if (o.containsKey("windows") && lastDelivery > firstAccept) {
            int[] perWindow = new int[(int) ((lastDelivery - firstAccept) / 10_000) + 1];
            for (var e : accepted.entrySet()) {
                List<Long> got = arrivals.getOrDefault(e.getKey(), List.of());
                if (got.size() >= referrals) {
                    perWindow[(int) ((Collections.max(got) - firstAccept) / 10_000)]++;
                }
            }
            StringBuilder w = new StringBuilder("report: incidents completed per second, per 10 s window:");
            for (int count : perWindow) {
                w.append(' ').append(count / 10);
            }
            System.out.println(w);
        }
        if (!urgent.isEmpty()) {
            System.out.printf(Locale.ROOT, "report: emergencies %d: accept->all partners p50 %d ms p99 %d ms max %d ms; first partner p99 %d ms%n",
                    urgent.size(), (long) percentile(urgent, 50), (long) percentile(urgent, 99), urgent.get(urgent.size() - 1),
                    (long) percentile(urgentFirst, 99));
        }
    }

    /** The clock escalations of the incidents in --accepts: from their stage's moment (dueAt) to the sink. */
    static void escalations(Map<String, String> o) throws Exception {
        java.util.Set<String> incidents = new java.util.HashSet<>();
        for (String line : Files.readAllLines(Path.of(o.get("accepts")))) {
            incidents.add(line.split(",")[1]);
        }
        List<Long> latencies = new ArrayList<>();
        Map<String, Integer> stages = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(Path.of(o.get("sink")))) {
            String[] f = line.split(",");
            if (isEscalation(f) && incidents.contains(f[2]) && Long.parseLong(f[4]) > 0) {
                latencies.add(Long.parseLong(f[0]) - Long.parseLong(f[4]));
                stages.merge(f[3].substring(f[3].indexOf('/') + 1), 1, Integer::sum);
            }
        }
        Collections.sort(latencies);
        System.out.printf(Locale.ROOT, "escalations: %d %s; due->delivered p50 %d ms p99 %d ms max %d ms%n", latencies.size(), stages,
                (long) percentile(latencies, 50), (long) percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
    }

    /** A sink log line of a clock escalation: its key is referral/clock/stage (a referral's is its id). */
    static boolean isEscalation(String[] line) {
        return line.length > 3 && line[3].chars().filter(c -> c == '/').count() == 2;
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    static Thread started(Runnable work) {
        Thread t = new Thread(work);
        t.start();
        return t;
    }

    static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, String> query(String query) {
        Map<String, String> q = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return q;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }
}
