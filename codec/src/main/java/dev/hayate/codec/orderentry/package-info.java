/**
 * The order-entry schema ({@code sbe/order-entry.xml}): its records ({@link dev.hayate.codec.orderentry.OrderEntryMessage})
 * and codecs ({@link dev.hayate.codec.orderentry.OrderEntryCodecs}). The generated flyweights live in
 * {@code dev.hayate.codec.orderentry.sbe}, generated at build time and never committed.
 */
package dev.hayate.codec.orderentry;
