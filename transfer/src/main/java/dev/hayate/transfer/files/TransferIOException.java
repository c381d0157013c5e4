package dev.hayate.transfer.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A disk operation of a transfer failed; the message names the file (as the user sees it) and the cause in
 * user terms (disk full, permission denied, not a directory, ...).
 *
 * <p>Thread-safety: immutable.
 */
public class TransferIOException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final String file;

    /**
     * @param file    the file concerned, as shown to the user (relative manifest path or local path).
     * @param message what went wrong, in user terms.
     */
    public TransferIOException(final String file, final String message)
    {
        super(SafePaths.printable(file) + ": " + message);
        this.file = file;
    }

    /**
     * @param file    the file concerned, as shown to the user.
     * @param message what went wrong, in user terms.
     * @param cause   the underlying failure.
     */
    public TransferIOException(final String file, final String message, final Throwable cause)
    {
        super(SafePaths.printable(file) + ": " + message, cause);
        this.file = file;
    }

    /**
     * The file this failure concerns.
     *
     * @return the file as given to the constructor (unescaped).
     */
    public String file()
    {
        return file;
    }

    /**
     * Wraps a low-level failure into one whose message names the file, the action and the cause in user
     * terms. A {@code TransferIOException} passes through unchanged.
     *
     * @param file   the file concerned, as shown to the user.
     * @param action what was being done ("cannot write", "cannot create directory", ...).
     * @param cause  the failure.
     * @return the exception to throw.
     */
    public static TransferIOException of(final String file, final String action, final IOException cause)
    {
        if (cause instanceof TransferIOException)
        {
            return (TransferIOException)cause;
        }
        return new TransferIOException(file, action + ": " + describe(cause), cause);
    }

    /**
     * Describes a failure in user terms.
     *
     * @param cause the failure.
     * @return a short description such as {@code "disk full (No space left on device)"}.
     */
    static String describe(final IOException cause)
    {
        final String message = cause.getMessage() == null ? "" : cause.getMessage();
        final String reason = cause instanceof FileSystemException ?
            nullToEmpty(((FileSystemException)cause).getReason()) : message;
        if (message.contains("No space left on device") || reason.contains("No space left on device"))
        {
            return "disk full (No space left on device)";
        }
        if (message.contains("Disk quota exceeded") || reason.contains("Disk quota exceeded"))
        {
            return "disk quota exceeded";
        }
        if (cause instanceof AccessDeniedException || reason.contains("Permission denied"))
        {
            return "permission denied";
        }
        if (cause instanceof NotDirectoryException || reason.contains("Not a directory"))
        {
            return "not a directory";
        }
        if (cause instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (cause instanceof FileAlreadyExistsException)
        {
            return "already exists";
        }
        if (reason.contains("Too many levels of symbolic links") || reason.contains("symbolic link"))
        {
            // ELOOP from opening with NOFOLLOW_LINKS: the last component is a link.
            return "is a symbolic link (not followed)";
        }
        if (reason.contains("File name too long"))
        {
            return "file name too long for this file system";
        }
        if (reason.contains("Read-only file system"))
        {
            return "read-only file system";
        }
        return reason.isEmpty() ? cause.getClass().getSimpleName() : reason;
    }

    private static String nullToEmpty(final String s)
    {
        return s == null ? "" : s;
    }
}
