package dev.soma.app;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.NotificationEmitter;

/**
 * A soft limit on the old generation for the serial collector, which the {@code soma} launcher
 * selects (see its comment and docs/PERFORMANCE.md, "Memory").
 *
 * <p>With a fixed young generation, a training step that allocates more than the young generation
 * holds (the CNN: about 130 MB a step) has its live activations promoted at every young collection.
 * The serial collector then grows the old generation rather than collecting it, up to the maximum heap
 * (a quarter of RAM), so the CNN reached 6 GiB of garbage. A hard {@code -Xmx} would stop that but
 * fail larger datasets with OutOfMemoryError. This limit is soft: when the old generation's occupancy
 * passes {@code 2 × live + headroom} (live = what the last full collection kept), it asks for a full
 * collection ({@link System#gc}), and sets the next limit from what that one kept. Data that is really
 * live only moves the limit up; the heap can still grow to its maximum.
 *
 * <p>It installs itself only under the serial or parallel collector (G1 and ZGC collect their old
 * generation concurrently), and not when {@code -Dsoma.oldGenLimit=off}.
 */
final class OldGenLimit {

    /** Headroom over twice the live old generation: full collections at most every ~256 MB promoted. */
    static final long HEADROOM = 256L << 20;

    private final MemoryPoolMXBean pool;
    private final AtomicBoolean collecting = new AtomicBoolean();

    private OldGenLimit(MemoryPoolMXBean pool) {
        this.pool = pool;
    }

    /** Installs the limit if the running collector calls for it; returns whether it did. */
    static boolean install() {
        if ("off".equals(System.getProperty("soma.oldGenLimit"))) {
            return false;
        }
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            boolean old = name.equals("Tenured Gen") || name.equals("PS Old Gen");
            if (old && pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()) {
                OldGenLimit limit = new OldGenLimit(pool);
                ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(
                        (notification, handback) -> {
                            if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(notification.getType())) {
                                limit.collect();
                            }
                        }, null, null);
                limit.setThreshold(pool.getUsage().getUsed());
                return true;
            }
        }
        return false;
    }

    /** The occupancy at which to collect, given what is live. */
    static long threshold(long live, long max) {
        long wanted = 2 * live + HEADROOM;
        return max > 0 ? Math.min(wanted, max) : wanted;
    }

    private void collect() {
        if (!collecting.compareAndSet(false, true)) {
            return;
        }
        try {
            System.gc();
            setThreshold(pool.getUsage().getUsed());
        } finally {
            collecting.set(false);
        }
    }

    private void setThreshold(long live) {
        pool.setUsageThreshold(threshold(live, pool.getUsage().getMax()));
    }
}
