package dev.hayate.examples;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.hayate.examples.GatewayFixture.ALICE;
import static dev.hayate.examples.GatewayFixture.BOB;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot path allocates nothing on either side: in steady state, the gateway thread and the trader's thread
 * allocate no bytes per order (NewOrder in, OrderAccepted and one or two ExecutionReports out, journaled and
 * sent). Measured with the JVM's per-thread allocation counter between two points of a run, after a warm-up run
 * has compiled the path. Allocation, unlike time, does not depend on how busy the machine is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AllocationTest
{
    private static final int ORDERS = 20_000;
    private static final int FROM_REPORT = 5_000;
    private static final int TO_REPORT = 20_000;

    private static long allocated(final Thread thread)
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(thread.getId());
    }

    @Test
    void shouldAllocateNothingPerOrderOnTheGatewayThreadOrTheTradersThread() throws Exception
    {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
            "needs per-thread allocation counters");
        try (GatewayFixture fixture = GatewayFixture.create(config -> { }, false))
        {
            final Thread gateway = new Thread(fixture.gateway::run, "gateway");
            gateway.setDaemon(true);
            gateway.start();
            try (TraderSession warmUp = TraderSession.connect(fixture.trader(ALICE)))
            {
                assertTrue(new Trader(warmUp, ORDERS, 64, 60_000, false, null).run().allAnswered());
            }
            final long[] gatewayBytes = new long[2];
            final long[] traderBytes = new long[2];
            final int[] reports = new int[1];
            final Trader.Observer measure = message ->
            {
                if (message.templateId() == dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder.TEMPLATE_ID)
                {
                    reports[0]++;
                    if (reports[0] == FROM_REPORT || reports[0] == TO_REPORT)
                    {
                        final int at = reports[0] == FROM_REPORT ? 0 : 1;
                        gatewayBytes[at] = allocated(gateway);
                        traderBytes[at] = allocated(Thread.currentThread());
                    }
                }
            };
            final Trader.Result result;
            try (TraderSession session = TraderSession.connect(fixture.trader(BOB)))
            {
                result = new Trader(session, ORDERS, 64, 60_000, false, measure).run();
            }
            assertTrue(result.allAnswered(), result::toString);
            final long gatewayAllocated = gatewayBytes[1] - gatewayBytes[0];
            final long traderAllocated = traderBytes[1] - traderBytes[0];
            final int measuredReports = TO_REPORT - FROM_REPORT;
            System.out.printf("AllocationTest: over %d execution reports the gateway thread allocated %d bytes, the " +
                "trader's thread %d bytes%n", measuredReports, gatewayAllocated, traderAllocated);
            // A few kilobytes may come from one-off events (a JIT deoptimisation, a lazily built JDK table); one object
            // per message would be over 300 KB here.
            assertTrue(gatewayAllocated < 16_384, () -> "gateway thread: " + gatewayAllocated + " bytes");
            assertTrue(traderAllocated < 16_384, () -> "trader thread: " + traderAllocated + " bytes");
            fixture.gateway.close();
            gateway.join(5_000);
        }
    }
}
