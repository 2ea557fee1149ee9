package dev.xcfi.verify.facts;

/**
 * A cfi-icall check inside {@code function}: a call of {@code llvm.type.test} (or its public and
 * checked-load forms), or, in cross-DSO builds, of {@code __cfi_slowpath} with a cross-DSO id; at
 * {@code source}, the checked call's place in the source when the module has debug information.
 */
public record TypeTest(String function, TypeIdRef id, Kind kind, SourceLocation source) {
    public TypeTest(String function, TypeIdRef id, Kind kind) {
        this(function, id, kind, SourceLocation.NONE);
    }

    public enum Kind {
        TYPE_TEST("llvm.type.test"), PUBLIC_TYPE_TEST("llvm.public.type.test"), CHECKED_LOAD("llvm.type.checked.load"),
        SLOWPATH("__cfi_slowpath"), SLOWPATH_DIAG("__cfi_slowpath_diag");

        private final String intrinsic;

        Kind(String intrinsic) {
            this.intrinsic = intrinsic;
        }

        /** The function called: an intrinsic, or for the slow paths the cross-DSO runtime's entry point. */
        public String intrinsic() {
            return intrinsic;
        }

        private static final Kind[] ALL = values();

        /** The kind a call of {@code callee} is, if it is one (asked once per function of a module: no copy of {@code values()} each time). */
        public static java.util.Optional<Kind> of(String callee) {
            for (Kind k : ALL) if (k.intrinsic.equals(callee)) return java.util.Optional.of(k);
            return java.util.Optional.empty();
        }

        /** Which argument holds the id: the metadata operand of the intrinsics, the first argument of the slow paths. */
        public int idArgument() {
            return switch (this) {
                case TYPE_TEST, PUBLIC_TYPE_TEST -> 1;
                case CHECKED_LOAD -> 2;
                case SLOWPATH, SLOWPATH_DIAG -> 0;
            };
        }
    }
}
