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

    /** {@code mov r32, imm32} for the six SysV integer argument registers (edi esi edx ecx r8d r9d); zero-extends. */
    private static final byte[][] MOV_IMM32 = {
            {(byte) 0xBF}, {(byte) 0xBE}, {(byte) 0xBA}, {(byte) 0xB9}, {0x41, (byte) 0xB8}, {0x41, (byte) 0xB9}};

    /**
     * A shared-stub thunk (48-byte slot): loads the callback's identity into integer argument
     * register {@code register} (the first one the C signature leaves free) and jumps to the
     * signature's shared upcall stub.
     * <pre>
     *   +0   90 × 11, b8 hash        as above
     *   +16  [41] b8+r id32          mov e?x/r?d, id      ← entry
     *   +21/22  49 bb stub64; 41 ff e3   movabs r11, stub; jmp r11
     * </pre>
     */
    static final int SHARED_SLOT = 48;

    static void writeShared(MemorySegment slot, int hash, int register, int id, MemorySegment stub) {
        header(slot, hash);
        int at = ENTRY;
        for (byte b : MOV_IMM32[register]) slot.set(ValueLayout.JAVA_BYTE, at++, b);
        slot.set(INT, at, id);
        at += 4;
        at = jump(slot, at, stub);
        for (int i = at; i < SHARED_SLOT; i++) slot.set(ValueLayout.JAVA_BYTE, i, (byte) 0xCC);
    }

    private static void header(MemorySegment slot, int hash) {
        for (int i = 0; i < 11; i++) slot.set(ValueLayout.JAVA_BYTE, i, (byte) 0x90);
        slot.set(ValueLayout.JAVA_BYTE, 11, (byte) 0xB8);
        slot.set(INT, 12, mask(hash));
    }

    private static int jump(MemorySegment slot, int at, MemorySegment target) {
        slot.set(ValueLayout.JAVA_BYTE, at, (byte) 0x49);
        slot.set(ValueLayout.JAVA_BYTE, at + 1, (byte) 0xBB);
        slot.set(LONG, at + 2, target.address());
        slot.set(ValueLayout.JAVA_BYTE, at + 10, (byte) 0x41);
        slot.set(ValueLayout.JAVA_BYTE, at + 11, (byte) 0xFF);
        slot.set(ValueLayout.JAVA_BYTE, at + 12, (byte) 0xE3);
        return at + 13;
    }

    static void write(MemorySegment slot, int hash, MemorySegment target) {
        header(slot, hash);
        int end = jump(slot, ENTRY, target);
        for (int i = end; i < SLOT; i++) slot.set(ValueLayout.JAVA_BYTE, i, (byte) 0xCC);
    }
}
