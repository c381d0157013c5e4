package dev.hayate.benchmarks;

/**
 * A result, or the reason an implementation produced none (unavailable here, failed, timed out, not run).
 *
 * @param impl   implementation name
 * @param result the result, or null
 * @param reason why there is no result, or null
 * @param <T>    the result type
 */
public record Outcome<T>(String impl, T result, String reason) {
    /**
     * @param impl   name
     * @param result the result
     * @param <T>    its type
     * @return a success
     */
    public static <T> Outcome<T> ok(String impl, T result) {
        return new Outcome<>(impl, result, null);
    }

    /**
     * @param impl   name
     * @param reason why
     * @param <T>    the result type
     * @return a failure
     */
    public static <T> Outcome<T> failed(String impl, String reason) {
        return new Outcome<>(impl, null, reason);
    }
}
