package dev.xcfi.thunk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The aarch64 KCFI thunk: the hash is the 32-bit word at entry−4 (as clang places it before a
 * KCFI function), an optional {@code bti c} landing pad, then a literal load and {@code br x16}
 * (x16 is the intra-procedure-call scratch register). The literal is 8-byte aligned.
 * <pre>
 *   +0   nop × 3                 padding
 *   +12  hash                    ← the check reads entry−4
 *   +16  ldr x16, #8             ← entry                 | with BTI: bti c; ldr x16, #12
 *   +20  br x16                                          |           br x16; nop
 *   +24  .quad target                                    | +32: .quad target
 * </pre>
 * Not wired into {@link ThunkArena} yet (no aarch64 machine here to run it); the bytes are checked
 * against llvm-mc-22.
 */
final class Aarch64ThunkLayout {
    static final int NOP = 0xD503201F, BTI_C = 0xD503245F, BR_X16 = 0xD61F0200;

    private Aarch64ThunkLayout() {}

    /** {@code ldr x16, #offset}: LDR (literal), 64-bit, imm19 = offset / 4. */
    static int ldrX16(int offset) {
        return 0x58000000 | ((offset / 4) & 0x7FFFF) << 5 | 16;
    }

    static byte[] thunk(int hash, long target, boolean bti) {
        ByteBuffer b = ByteBuffer.allocate(bti ? 48 : 32).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(NOP).putInt(NOP).putInt(NOP).putInt(hash);
        if (bti) b.putInt(BTI_C).putInt(ldrX16(12)).putInt(BR_X16).putInt(NOP).putLong(target).putLong(0);
        else b.putInt(ldrX16(8)).putInt(BR_X16).putLong(target);
        return b.array();
    }
}
