/**
 * The disk side of the file-transfer engine: the manifest and its wire form, path safety, the sender's
 * {@link dev.hayate.transfer.files.SourceFile} and the receiver's {@link dev.hayate.transfer.files.ReceiveFolder}
 * (part files, resume, atomic completion).
 *
 * <p>The rules this package enforces against a hostile sender: nothing is written outside the output
 * folder, no symbolic link is followed or created, no existing file is truncated, and a target appears only
 * when it is complete.
 */
package dev.hayate.transfer.files;
