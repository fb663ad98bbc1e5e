package dev.multiproc;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A snapshot of how far one pool call has got: how many of its tasks (items) are done, failed and running, and an
 * estimate of the time left. {@link Pool#progress(java.util.concurrent.Future)} gives it for a {@code mapAsync},
 * {@code starmapAsync}, {@code applyAsync} or {@code submit} call, {@link ResultIterator#progress()} for an
 * {@code imap}; poll it from any thread, as often as a progress bar needs (it takes the pool's lock briefly).
 *
 * @param total how many tasks the call has, or -1 while unknown (an {@code imap} still reading its input)
 * @param done how many have returned a result
 * @param failed how many have failed (a chunk that fails, fails all its tasks: it threw, timed out, or killed its
 *        workers)
 * @param running how many workers hold now: running, or queued in a worker behind the one it runs
 * @param elapsed the time since the call was made
 */
public record Progress(long total, long done, long failed, long running, Duration elapsed) {

    /**
     * @return the tasks not yet done or failed, or -1 if the total is unknown
     */
    public long remaining() {
        return total < 0 ? -1 : Math.max(0, total - done - failed);
    }

    /**
     * @return the share of the tasks done or failed, from 0 to 1, or {@code NaN} if the total is unknown; 1 for a call
     *         without tasks
     */
    public double fraction() {
        if (total < 0) {
            return Double.NaN;
        }
        return total == 0 ? 1.0 : Math.min(1.0, (double) (done + failed) / total);
    }

    /**
     * Estimates the time left at the rate so far (tasks finished over the time elapsed).
     *
     * @return the estimate, or empty while the total is unknown or no task has finished
     */
    public Optional<Duration> eta() {
        long finished = done + failed;
        if (total < 0 || finished == 0) {
            return Optional.empty();
        }
        double nanosPerTask = (double) elapsed.toNanos() / finished;
        return Optional.of(Duration.ofNanos((long) (nanosPerTask * remaining())));
    }

    /**
     * @return e.g. {@code 120/1000 tasks (12%), 2 failed, 4 running, 5.2 s elapsed, about 38 s left}
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(done + failed).append('/')
                .append(total < 0 ? "?" : Long.toString(total)).append(" tasks");
        if (total >= 0) {
            text.append(" (").append(Math.round(fraction() * 100)).append("%)");
        }
        if (failed > 0) {
            text.append(", ").append(failed).append(" failed");
        }
        text.append(", ").append(running).append(" running, ").append(seconds(elapsed)).append(" elapsed");
        eta().ifPresent(left -> text.append(", about ").append(seconds(left)).append(" left"));
        return text.toString();
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
