package dev.hayate.benchmarks.rig;

/**
 * A run that could not produce a result: the implementation is unavailable, its child failed, or it timed out.
 * The message is the reason shown in reports.
 */
public final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the reason
     */
    public BenchException(String message) {
        super(message);
    }

    /**
     * @param message the reason
     * @param cause   what failed
     */
    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
