package dev.hayate.transfer.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CipherWarmupTest
{
    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void shouldSealAndOpenEveryWarmingFrameIntact(final CipherSuite suite)
    {
        assertEquals(50, CipherWarmup.run(suite, 50));
    }

    @Test
    void shouldWarmEachSuiteOncePerJvmOnADaemonThread() throws InterruptedException
    {
        final Thread first = CipherWarmup.start(CipherSuite.CHACHA20_POLY1305);
        if (first != null)
        {
            assertTrue(first.isDaemon());
            first.join(TimeUnit.MINUTES.toMillis(2));
        }
        assertNull(CipherWarmup.start(CipherSuite.CHACHA20_POLY1305), "a second start must not warm again");
    }
}
