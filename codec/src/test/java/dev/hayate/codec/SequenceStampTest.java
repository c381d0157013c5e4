package dev.hayate.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequenceStampTest
{
    @Test
    void shouldStartAtOne()
    {
        assertEquals(1, new SequenceStamp().next());
    }

    @Test
    void shouldGiveTheSameNumberUntilCommitted()
    {
        final SequenceStamp stamp = new SequenceStamp(10);

        assertEquals(10, stamp.claim());
        assertEquals(10, stamp.claim());
        stamp.commit();

        assertEquals(11, stamp.next());
        assertEquals(11, stamp.claim());
    }

    @Test
    void shouldAdvanceOnlyForAMessageThatClaimed()
    {
        final SequenceStamp stamp = new SequenceStamp(10);

        stamp.commit();
        stamp.commit();

        assertEquals(10, stamp.next());
    }

    @Test
    void shouldGiveAnAbortedNumberToTheNextMessage()
    {
        final SequenceStamp stamp = new SequenceStamp(10);

        stamp.claim();
        stamp.abort();
        stamp.commit();

        assertEquals(10, stamp.claim());
    }

    @Test
    void shouldResetBetweenMessagesButNotDuringOne()
    {
        final SequenceStamp stamp = new SequenceStamp();
        stamp.next(500);
        assertEquals(500, stamp.claim());

        assertThrows(IllegalStateException.class, () -> stamp.next(1));
    }
}
