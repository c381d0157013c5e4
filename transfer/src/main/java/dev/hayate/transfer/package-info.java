/**
 * Encrypted, compressed, resumable file and directory transfer, built as one typed protocol on the
 * blocking {@code Clt}/{@code Svc} faces.
 */
package dev.hayate.transfer;
