import java.sql.*;
import java.util.*;
import org.h2.jdbc.JdbcConnection;
import org.h2.engine.SessionLocal;
import org.h2.mvstore.MVStore;

/**
 * H2 alone, as the hub's store writes it: how big the MVStore file grows with one commit per incident and one per
 * delivery, WRITE_DELAY=0 (as the hub must), and what online compaction, retention time 0 or time-ordered keys
 * change. A scratch measurement for #13 (bench/RESULTS.md, "A backlog of 1,000,000"), not the hub's schema: three
 * tables shaped like incidents, referrals and journey steps, 1.2 KB per incident, 2 referrals each delivered 2,000
 * incidents later.
 *
 *   java -cp ~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar bench/H2Growth.java MODE N
 *     MODE: plain | compact (MVStore.compact(90, 16 MB) every second) | retention0 | ordered (time-ordered keys)
 *
 * Writes /tmp/h2growth-MODE.mv.db (delete it afterwards); inspect it with
 * java -cp the-same-jar org.h2.mvstore.MVStoreTool -info /tmp/h2growth-MODE.mv.db
 */
public class H2Growth {
    static long seq;
    static UUID next() { return new UUID((System.currentTimeMillis() << 20) | (seq++ & 0xFFFFF), new Random().nextLong()); }
    public static void main(String[] a) throws Exception {
        String mode = a[0]; int n = Integer.parseInt(a[1]);
        boolean ordered = mode.startsWith("ordered");
        String path = "/tmp/h2growth-" + mode;
        new java.io.File(path + ".mv.db").delete();
        Connection c = DriverManager.getConnection("jdbc:h2:file:" + path + ";WRITE_DELAY=0", "sa", "");
        try (Statement s = c.createStatement()) {
            s.execute("create table inc(id uuid primary key, body varchar(2000), pri int, at timestamp)");
            s.execute("create index inc_at on inc(at)");
            s.execute("create table ref(id uuid primary key, inc uuid, partner varchar(40), status varchar(20), at timestamp)");
            s.execute("create index ref_inc on ref(inc)");
            s.execute("create index ref_status on ref(status, at)");
            s.execute("create table jour(id bigint auto_increment primary key, ref uuid, step varchar(20), at timestamp)");
            s.execute("create index jour_ref on jour(ref)");
        }
        c.setAutoCommit(false);
        MVStore store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
        if (mode.equals("retention0")) store.setRetentionTime(0);
        Thread compactor = null;
        if (mode.equals("compact")) {
            compactor = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try { Thread.sleep(1000); } catch (InterruptedException e) { return; }
                    try { store.compact(90, 16 * 1024 * 1024); } catch (Exception e) { System.out.println("compact: " + e); }
                }
            });
            compactor.setDaemon(true); compactor.start();
        }
        PreparedStatement insInc = c.prepareStatement("insert into inc values (?,?,?,?)");
        PreparedStatement insRef = c.prepareStatement("insert into ref values (?,?,?,?,?)");
        PreparedStatement updRef = c.prepareStatement("update ref set status=?, at=? where id=?");
        PreparedStatement insJ = c.prepareStatement("insert into jour(ref, step, at) values (?,?,?)");
        String body = "x".repeat(1200);
        ArrayDeque<UUID> pending = new ArrayDeque<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            UUID inc = ordered ? next() : UUID.randomUUID();
            Timestamp now = new Timestamp(System.currentTimeMillis());
            insInc.setObject(1, inc); insInc.setString(2, body); insInc.setInt(3, 3); insInc.setTimestamp(4, now); insInc.executeUpdate();
            for (String p : new String[] {"police", "social"}) {
                UUID r = ordered ? next() : UUID.randomUUID();
                insRef.setObject(1, r); insRef.setObject(2, inc); insRef.setString(3, p); insRef.setString(4, "ROUTED"); insRef.setTimestamp(5, now); insRef.executeUpdate();
                insJ.setObject(1, r); insJ.setString(2, "ROUTED"); insJ.setTimestamp(3, now); insJ.executeUpdate();
                pending.add(r);
            }
            c.commit();
            // deliveries of older referrals: one commit each
            while (pending.size() > 2000) {
                UUID r = pending.poll();
                updRef.setString(1, "DELIVERED"); updRef.setTimestamp(2, now); updRef.setObject(3, r); updRef.executeUpdate();
                insJ.setObject(1, r); insJ.setString(2, "DELIVERED"); insJ.setTimestamp(3, now); insJ.executeUpdate();
                c.commit();
            }
            if (i % 50000 == 0 && i > 0) {
                System.out.printf("%s %d: file %d MB, fill rate %d%%, %.0f s%n", mode, i, new java.io.File(path + ".mv.db").length() >> 20,
                        store.getFillRate(), (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("%s %d: file %d MB, fill rate %d%%, %.0f s%n", mode, n, new java.io.File(path + ".mv.db").length() >> 20,
                store.getFillRate(), (System.nanoTime() - t0) / 1e9);
        if (compactor != null) compactor.interrupt();
        c.close();
    }
}
