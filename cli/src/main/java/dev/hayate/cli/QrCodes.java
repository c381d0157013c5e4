package dev.hayate.cli;

import io.nayuki.qrcodegen.QrCode;

/**
 * Draws a QR code on a terminal with Unicode half blocks, two modules per character cell, light modules drawn
 * (terminals are usually light text on a dark background, so the drawn blocks are the light part) inside a quiet
 * zone of two modules, as {@code qrencode -t UTF8} does.
 *
 * <p>Thread-safety: stateless.
 */
final class QrCodes
{
    private static final int QUIET = 2;

    private QrCodes()
    {
    }

    /**
     * @param text what the code holds (a {@code hayate:} URI).
     * @return the drawing, one string with a line break after each row.
     */
    static String render(final String text)
    {
        final QrCode qr = QrCode.encodeText(text, QrCode.Ecc.LOW);
        final int size = qr.size;
        final StringBuilder b = new StringBuilder();
        for (int y = -QUIET; y < size + QUIET; y += 2)
        {
            for (int x = -QUIET; x < size + QUIET; x++)
            {
                final boolean top = !dark(qr, x, y);
                final boolean bottom = !dark(qr, x, y + 1);
                b.append(top ? (bottom ? '\u2588' : '\u2580') : (bottom ? '\u2584' : ' '));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static boolean dark(final QrCode qr, final int x, final int y)
    {
        // getModule answers false (light) outside the symbol, which is the quiet zone.
        return qr.getModule(x, y);
    }
}
