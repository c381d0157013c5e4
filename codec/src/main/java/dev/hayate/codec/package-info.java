/**
 * SBE codecs for any schema that uses the standard message header: {@link dev.hayate.codec.SbeFlyweightCodec}
 * over a reusable {@link dev.hayate.codec.SbeMessage} view allocates nothing per message;
 * {@link dev.hayate.codec.SbeRecordCodec} trades that for plain values. Both treat received bytes as hostile:
 * every read stays inside the frame body, and malformed bodies throw
 * {@link dev.hayate.codec.MalformedMessageException}.
 */
package dev.hayate.codec;
