/**
 * The cryptographic and payload layer of the transfer engine: pairing, keys, sealing, compression, checksums.
 *
 * <pre>
 *  CodePhrase ──► PakeSession (EC J-PAKE, P-256) ──► SessionKeys (HKDF-SHA256 over the transcript)
 *                                                      │
 *                     ┌────────────────────────────────┴───────────────────────┐
 *               ChunkSealer (+ Worker per thread)                        ChunkOpener
 *        nextSequence() on one thread, seal anywhere        one thread, in order: tag, then sequence
 *        nonce = direction | sequence, AD = session id,     (REPLAYED / REORDERED / DROPPED), then position
 *        direction, kind, flags, file, chunk, sequence      (SPLICED / TRUNCATED): ChunkIntegrityException
 *
 *  sender per chunk:   ChunkHasher.digest ─► ChunkCompressor.compress (maybe) ─► seal
 *  receiver per chunk: open ─► ChunkDecompressor.decompress (if COMPRESSED) ─► ChunkHasher.digest
 *  per file:           FileChecksum = H(H(chunk 0) | H(chunk 1) | …), compared at the file's END
 * </pre>
 *
 * <p>The payload is hashed before compression, so both sides hash the same plaintext; the COMPRESSED and LAST
 * flags travel in the authenticated associated data.
 */
package dev.hayate.transfer.crypto;
