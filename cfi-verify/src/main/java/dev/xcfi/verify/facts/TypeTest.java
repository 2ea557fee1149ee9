package dev.xcfi.verify.facts;

/** A cfi-icall check: a call of {@code llvm.type.test} (or its public/checked-load forms) inside {@code function}. */
public record TypeTest(String function, TypeIdRef id, Kind kind) {
    public enum Kind {
        TYPE_TEST("llvm.type.test"), PUBLIC_TYPE_TEST("llvm.public.type.test"), CHECKED_LOAD("llvm.type.checked.load");

        private final String intrinsic;

        Kind(String intrinsic) {
            this.intrinsic = intrinsic;
        }

        public String intrinsic() {
            return intrinsic;
        }
    }
}
