/**
 * Internal: the one duty cycle under the async runtime and {@code PollHandler} (a readiness poller, a task
 * queue and a timer wheel). Not API: the faces use it, applications use {@code PollHandler} or the async
 * runtime; signatures here may change without notice.
 */
package dev.hayate.core.loop;
