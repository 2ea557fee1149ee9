package dev.xcfi.thunk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The bytes of KCFI-tagged thunks for x86_64, laid out as clang lays out a KCFI function: nop
 * padding, the hash as the imm32 of a {@code mov eax, imm32}, the patchable prefix's nops
 * ({@code -fpatchable-function-entry=N,M}: M of them; the caller then reads the hash at
 * entry−(M+4)), and the 16-byte-aligned entry, which starts with {@code endbr64} when the callers
 * are built with {@code -fcf-protection=branch}. With no prefix and no endbr (clang's default):
 * <pre>
 *   +0   90 × 11             padding, as clang emits it
 *   +11  b8 hh hh hh hh      mov eax, hash        (the check reads entry−4)
 *   +16  49 bb tt×8          movabs r11, target   ← entry
 *   +26  41 ff e3            jmp r11              (r11: scratch in the SysV ABI, unused by the check)
 *   +29  cc cc cc            int3 padding
 * </pre>
 * A shared-stub thunk first loads the callback's identity into the integer argument register the
 * C signature leaves free ({@code [41] b8+r id32}, {@code mov e?x/r?d, id}) and jumps to the
 * signature's shared upcall stub instead.
 */
final class ThunkLayout {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final byte NOP = (byte) 0x90, INT3 = (byte) 0xCC;
    private static final byte[] ENDBR64 = {(byte) 0xF3, 0x0F, 0x1E, (byte) 0xFA};
    /** movabs r11, imm64 (10 bytes) + jmp r11 (3 bytes). */
    private static final int JUMP = 13;
    /** {@code mov r32, imm32} for the six SysV integer argument registers (edi esi edx ecx r8d r9d); zero-extends. */
    private static final byte[][] MOV_IMM32 = {
            {(byte) 0xBF}, {(byte) 0xBE}, {(byte) 0xBA}, {(byte) 0xB9}, {0x41, (byte) 0xB8}, {0x41, (byte) 0xB9}};

    private final int prefix;
    private final boolean endbr;
    /** Nop padding before the {@code mov}, so that the entry is 16-byte aligned, as clang pads. */
    private final int pad;
    final int entry, slot, sharedSlot;

    ThunkLayout(int patchablePrefix, boolean endbr) {
        this.prefix = patchablePrefix;
        this.endbr = endbr;
        this.pad = (16 - (5 + patchablePrefix) % 16) % 16;
        this.entry = pad + 5 + patchablePrefix;
        int body = endbr ? ENDBR64.length : 0;
        this.slot = roundUp(entry + body + JUMP);
        this.sharedSlot = roundUp(entry + body + 6 + JUMP);
    }

    private static int roundUp(int n) {
        return (n + 15) & ~15;
    }

    /** clang's x86 masking: a hash that would spell ENDBR64/ENDBR32 (or their negations) is emitted as hash+1. */
    static int mask(int hash) {
        for (int endbr : new int[] {0xFA1E0FF3, 0xFB1E0FF3}) if (hash == endbr || hash == -endbr) return hash + 1;
        return hash;
    }

    /** A thunk of {@link #slot} bytes that jumps to {@code target}. */
    void write(MemorySegment s, int hash, MemorySegment target) {
        fill(s, jump(s, header(s, hash), target), slot);
    }

    /** A thunk of {@link #sharedSlot} bytes that passes {@code id} in integer argument {@code register} to {@code stub}. */
    void writeShared(MemorySegment s, int hash, int register, int id, MemorySegment stub) {
        int at = header(s, hash);
        for (byte b : MOV_IMM32[register]) s.set(ValueLayout.JAVA_BYTE, at++, b);
        s.set(INT, at, id);
        fill(s, jump(s, at + 4, stub), sharedSlot);
    }

    /** Padding, {@code mov eax, hash}, the prefix nops and the entry's {@code endbr64}; returns where the body goes. */
    private int header(MemorySegment s, int hash) {
        for (int i = 0; i < pad; i++) s.set(ValueLayout.JAVA_BYTE, i, NOP);
        s.set(ValueLayout.JAVA_BYTE, pad, (byte) 0xB8);
        s.set(INT, pad + 1, mask(hash));
        for (int i = 0; i < prefix; i++) s.set(ValueLayout.JAVA_BYTE, pad + 5 + i, NOP);
        int at = entry;
        if (endbr) for (byte b : ENDBR64) s.set(ValueLayout.JAVA_BYTE, at++, b);
        return at;
    }

    private static int jump(MemorySegment s, int at, MemorySegment target) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) 0x49);
        s.set(ValueLayout.JAVA_BYTE, at + 1, (byte) 0xBB);
        s.set(LONG, at + 2, target.address());
        s.set(ValueLayout.JAVA_BYTE, at + 10, (byte) 0x41);
        s.set(ValueLayout.JAVA_BYTE, at + 11, (byte) 0xFF);
        s.set(ValueLayout.JAVA_BYTE, at + 12, (byte) 0xE3);
        return at + JUMP;
    }

    private static void fill(MemorySegment s, int from, int to) {
        for (int i = from; i < to; i++) s.set(ValueLayout.JAVA_BYTE, i, INT3);
    }
}
