package dev.xcfi.verify.facts;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the checks need from one LLVM module, independent of how it was read (libLLVM or the
 * pure-Java reader must produce equal values). {@code functions} are the module's own functions,
 * intrinsics left out. {@code module} numbers the modules of a
 * multi-module file (ThinLTO, rustc's linker-plugin LTO) from 0. {@code embedded}: the module is
 * the bitcode embedded in a native object ({@code -fembed-bitcode}, an rlib's objects), so its
 * code is linked as machine code, outside any LTO unit; readers of bitcode files say false.
 * {@code stored}: the functions global initializers hold, by global in module order, each function
 * once per global in the order its initializer names them (globals named {@code llvm.*}, such as
 * {@code llvm.used} and {@code llvm.global_ctors}, are the toolchain's, not the program's tables);
 * then the functions store instructions write to memory, by function and instruction order, each
 * once per storing function. {@code debugTypes}: the function types the module's debug information
 * spells ({@link DebugTypeWalk}), in {@link DebugTypeWalk#sorted} order, for naming KCFI hashes:
 * empty without {@code -g}, and for a module built without KCFI (its ids are strings already).
 */
public record ModuleFacts(String path, int module, String producer, String triple, ModuleFlags flags,
                          List<FunctionFacts> functions, List<TypeTest> typeTests, List<KcfiCall> kcfiCalls,
                          List<CallbackArgument> callbacks, List<StoredFunction> stored,
                          List<DebugType.Function> debugTypes, boolean embedded) {
    public ModuleFacts {
        // Intrinsics are left out: they carry no CFI facts, and libLLVM adds, renames and drops
        // their declarations when it upgrades older bitcode, so listing them would tie the facts to
        // the reader's LLVM version.
        List<FunctionFacts> own = new ArrayList<>(functions.size());
        for (FunctionFacts f : functions) if (!f.isIntrinsic()) own.add(f);
        functions = List.copyOf(own);
        typeTests = List.copyOf(typeTests);
        kcfiCalls = List.copyOf(kcfiCalls);
        callbacks = List.copyOf(callbacks);
        stored = List.copyOf(stored);
        debugTypes = List.copyOf(debugTypes);
    }

    /** The same module, met as the bitcode embedded in a native object. */
    public ModuleFacts asEmbedded() {
        return new ModuleFacts(path, module, producer, triple, flags, functions, typeTests, kcfiCalls, callbacks, stored, debugTypes, true);
    }
}
