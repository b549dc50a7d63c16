package dev.soma.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** {@link Installed}: present passes, absent skips, absent and required fails. */
class InstalledTest {

    @Test
    void aPresentPackagePassesWhateverIsRequired() {
        Installed.assume("libfoo", true, "unused", null);
        Installed.assume("libfoo", true, "unused", "libfoo");
    }

    @Test
    void anAbsentPackageSkipsUnlessRequired() {
        var skipped = assertThrows(TestAbortedException.class,
                () -> Installed.assume("libfoo", false, "no /usr/lib/libfoo.so", "libbar libfoo-extra"));
        assertEquals("libfoo is not installed (apt-get install libfoo): no /usr/lib/libfoo.so",
                skipped.getMessage());
        assertThrows(TestAbortedException.class, () -> Installed.assume("libfoo", false, "gone", null));
    }

    @Test
    void anAbsentRequiredPackageFails() {
        for (String requirement : new String[] {"libfoo", " libbar libfoo ", "libbar,libfoo"}) {
            var failed = assertThrows(AssertionError.class, () -> Installed.assume("libfoo", false, "gone", requirement));
            assertEquals("SOMA_REQUIRE=\"" + requirement + "\" requires it, but libfoo is not installed"
                    + " (apt-get install libfoo): gone", failed.getMessage());
        }
    }
}
