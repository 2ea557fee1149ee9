package dev.xcfi.thunk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The bytes of one KCFI-tagged thunk for x86_64, in a 32-byte slot laid out as clang lays out a
 * KCFI function: the hash is the imm32 of a {@code mov eax, imm32} ending at entry−4, after
 * clang's 11 bytes of nop padding, so the entry is 16-byte aligned:
 * <pre>
 *   +0   90 × 11             padding, as clang emits it
 *   +11  b8 hh hh hh hh      mov eax, hash        (the check reads entry−4)
 *   +16  49 bb tt×8          movabs r11, target   ← entry
 *   +26  41 ff e3            jmp r11              (r11: scratch in the SysV ABI, unused by the check)
 *   +29  cc cc cc            int3 padding
 * </pre>
 */
final class ThunkLayout {
    static final int SLOT = 32;
    static final int ENTRY = 16;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private ThunkLayout() {}

    /** clang's x86 masking: a hash that would spell ENDBR64/ENDBR32 (or their negations) is emitted as hash+1. */
    static int mask(int hash) {
        for (int endbr : new int[] {0xFA1E0FF3, 0xFB1E0FF3}) if (hash == endbr || hash == -endbr) return hash + 1;
        return hash;
    }

    static void write(MemorySegment slot, int hash, MemorySegment target) {
        for (int i = 0; i < 11; i++) slot.set(ValueLayout.JAVA_BYTE, i, (byte) 0x90);
        slot.set(ValueLayout.JAVA_BYTE, 11, (byte) 0xB8);
        slot.set(INT, 12, mask(hash));
        slot.set(ValueLayout.JAVA_BYTE, 16, (byte) 0x49);
        slot.set(ValueLayout.JAVA_BYTE, 17, (byte) 0xBB);
        slot.set(LONG, 18, target.address());
        slot.set(ValueLayout.JAVA_BYTE, 26, (byte) 0x41);
        slot.set(ValueLayout.JAVA_BYTE, 27, (byte) 0xFF);
        slot.set(ValueLayout.JAVA_BYTE, 28, (byte) 0xE3);
        for (int i = 29; i < SLOT; i++) slot.set(ValueLayout.JAVA_BYTE, i, (byte) 0xCC);
    }
}
