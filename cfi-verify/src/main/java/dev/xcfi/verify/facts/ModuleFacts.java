package dev.xcfi.verify.facts;

import java.util.List;

/**
 * Everything the checks need from one LLVM module, independent of how it was read (libLLVM or the
 * pure-Java reader must produce equal values). {@code module} numbers the modules of a
 * multi-module file (ThinLTO, rustc's linker-plugin LTO) from 0.
 */
public record ModuleFacts(String path, int module, String producer, String triple, ModuleFlags flags,
                          List<FunctionFacts> functions, List<TypeTest> typeTests, List<KcfiCall> kcfiCalls,
                          List<CallbackArgument> callbacks) {
    public ModuleFacts {
        functions = List.copyOf(functions);
        typeTests = List.copyOf(typeTests);
        kcfiCalls = List.copyOf(kcfiCalls);
        callbacks = List.copyOf(callbacks);
    }
}
