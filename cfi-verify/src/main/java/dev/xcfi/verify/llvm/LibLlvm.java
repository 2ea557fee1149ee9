package dev.xcfi.verify.llvm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Hand-written FFM bindings for the part of libLLVM's C API the reader uses (jextract's output may
 * not be committed and CI cannot fetch jextract). Handles are resolved when the library is opened,
 * so a libLLVM that lacks one (older than 19: no operand-bundle getters) is refused up front.
 * The C API casts without checking: callers test values with the {@code isA…} functions first.
 */
final class LibLlvm {
    private static final Linker LINKER = Linker.nativeLinker();
    static final int OPCODE_INVOKE = 5;
    static final int OPCODE_ALLOCA = 26, OPCODE_LOAD = 27, OPCODE_STORE = 28;
    static final int OPCODE_CALL = 45;
    static final int OPCODE_CALL_BR = 67;
    private static final int SEVERITY_ERROR = 0;

    static boolean isCall(int opcode) {
        return opcode == OPCODE_CALL || opcode == OPCODE_INVOKE || opcode == OPCODE_CALL_BR;
    }

    final Path path;
    final String version;
    private final SymbolLookup symbols;

    final MethodHandle contextCreate, contextDispose, contextSetDiagnosticHandler, getDiagInfoDescription, getDiagInfoSeverity,
            disposeMessage, createMemoryBufferWithMemoryRangeCopy, disposeMemoryBuffer, parseBitcodeInContext2, parseIrInContext, disposeModule,
            getMdKindIdInContext, lookupIntrinsicId, getIntrinsicId, getFirstFunction, getNextFunction, getValueName2, isDeclaration,
            getLinkage, globalCopyAllMetadata, valueMetadataEntriesGetKind, valueMetadataEntriesGetMetadata, disposeValueMetadataEntries,
            metadataAsValue, getMdNodeNumOperands, getMdNodeOperands, isAConstantInt, constIntGetSExtValue, getMdString, isAMdNode,
            getFirstBasicBlock, getNextBasicBlock, getFirstInstruction, getNextInstruction, getInstructionOpcode, getCalledValue,
            isAFunction, getNumArgOperands, getOperand, getNumOperandBundles, getOperandBundleAtIndex, getOperandBundleTag,
            getNumOperandBundleArgs, getOperandBundleArgAtIndex, disposeOperandBundle, getNamedMetadataNumOperands,
            getNamedMetadataOperands, getTarget, getFirstUse, getNextUse, getUser, isAInstruction, getInstructionParent,
            getBasicBlockParent, countParams, getParam, globalGetValueType, getCalledFunctionType, getReturnType, countParamTypes,
            getParamTypes, isFunctionVarArg, getTypeKind, getIntTypeWidth, getFirstGlobal, getNextGlobal, getInitializer, getNumOperands,
            isAConstantStruct, isAConstantArray, isAConstantVector, getSubprogram, getMetadataKind, getDINodeTag, diTypeGetName,
            diTypeGetFlags, diTypeGetSizeInBits, valueAsMetadata, getDebugLocDirectory, getDebugLocFilename, getDebugLocLine, getDebugLocColumn;

    private LibLlvm(Path path, SymbolLookup symbols) {
        this.path = path;
        this.symbols = symbols;
        MethodHandle getVersion = handle("LLVMGetVersion", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT, 3);
            getVersion.invokeExact(v, v.asSlice(4), v.asSlice(8));
            version = v.getAtIndex(JAVA_INT, 0) + "." + v.getAtIndex(JAVA_INT, 1) + "." + v.getAtIndex(JAVA_INT, 2);
        } catch (Throwable t) {
            throw new IllegalStateException("LLVMGetVersion failed in " + path, t);
        }
        contextCreate = handle("LLVMContextCreate", FunctionDescriptor.of(ADDRESS));
        contextDispose = handle("LLVMContextDispose", FunctionDescriptor.ofVoid(ADDRESS));
        contextSetDiagnosticHandler = handle("LLVMContextSetDiagnosticHandler", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        getDiagInfoDescription = handle("LLVMGetDiagInfoDescription", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getDiagInfoSeverity = handle("LLVMGetDiagInfoSeverity", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        disposeMessage = handle("LLVMDisposeMessage", FunctionDescriptor.ofVoid(ADDRESS));
        createMemoryBufferWithMemoryRangeCopy = handle("LLVMCreateMemoryBufferWithMemoryRangeCopy", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        disposeMemoryBuffer = handle("LLVMDisposeMemoryBuffer", FunctionDescriptor.ofVoid(ADDRESS));
        parseBitcodeInContext2 = handle("LLVMParseBitcodeInContext2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        parseIrInContext = handle("LLVMParseIRInContext", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        disposeModule = handle("LLVMDisposeModule", FunctionDescriptor.ofVoid(ADDRESS));
        getMdKindIdInContext = handle("LLVMGetMDKindIDInContext", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        lookupIntrinsicId = handle("LLVMLookupIntrinsicID", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        getIntrinsicId = handle("LLVMGetIntrinsicID", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getFirstFunction = handle("LLVMGetFirstFunction", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getNextFunction = handle("LLVMGetNextFunction", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getValueName2 = handle("LLVMGetValueName2", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        isDeclaration = handle("LLVMIsDeclaration", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getLinkage = handle("LLVMGetLinkage", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        globalCopyAllMetadata = handle("LLVMGlobalCopyAllMetadata", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        valueMetadataEntriesGetKind = handle("LLVMValueMetadataEntriesGetKind", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        valueMetadataEntriesGetMetadata = handle("LLVMValueMetadataEntriesGetMetadata", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        disposeValueMetadataEntries = handle("LLVMDisposeValueMetadataEntries", FunctionDescriptor.ofVoid(ADDRESS));
        metadataAsValue = handle("LLVMMetadataAsValue", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        getMdNodeNumOperands = handle("LLVMGetMDNodeNumOperands", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getMdNodeOperands = handle("LLVMGetMDNodeOperands", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        isAConstantInt = handle("LLVMIsAConstantInt", FunctionDescriptor.of(ADDRESS, ADDRESS));
        constIntGetSExtValue = handle("LLVMConstIntGetSExtValue", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        getMdString = handle("LLVMGetMDString", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        isAMdNode = handle("LLVMIsAMDNode", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getFirstBasicBlock = handle("LLVMGetFirstBasicBlock", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getNextBasicBlock = handle("LLVMGetNextBasicBlock", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getFirstInstruction = handle("LLVMGetFirstInstruction", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getNextInstruction = handle("LLVMGetNextInstruction", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getInstructionOpcode = handle("LLVMGetInstructionOpcode", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getCalledValue = handle("LLVMGetCalledValue", FunctionDescriptor.of(ADDRESS, ADDRESS));
        isAFunction = handle("LLVMIsAFunction", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getNumArgOperands = handle("LLVMGetNumArgOperands", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getOperand = handle("LLVMGetOperand", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        getNumOperandBundles = handle("LLVMGetNumOperandBundles", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getOperandBundleAtIndex = handle("LLVMGetOperandBundleAtIndex", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        getOperandBundleTag = handle("LLVMGetOperandBundleTag", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        getNumOperandBundleArgs = handle("LLVMGetNumOperandBundleArgs", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getOperandBundleArgAtIndex = handle("LLVMGetOperandBundleArgAtIndex", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        disposeOperandBundle = handle("LLVMDisposeOperandBundle", FunctionDescriptor.ofVoid(ADDRESS));
        getNamedMetadataNumOperands = handle("LLVMGetNamedMetadataNumOperands", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        getNamedMetadataOperands = handle("LLVMGetNamedMetadataOperands", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        getTarget = handle("LLVMGetTarget", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getFirstUse = handle("LLVMGetFirstUse", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getNextUse = handle("LLVMGetNextUse", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getUser = handle("LLVMGetUser", FunctionDescriptor.of(ADDRESS, ADDRESS));
        isAInstruction = handle("LLVMIsAInstruction", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getInstructionParent = handle("LLVMGetInstructionParent", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getBasicBlockParent = handle("LLVMGetBasicBlockParent", FunctionDescriptor.of(ADDRESS, ADDRESS));
        countParams = handle("LLVMCountParams", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getParam = handle("LLVMGetParam", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        globalGetValueType = handle("LLVMGlobalGetValueType", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getCalledFunctionType = handle("LLVMGetCalledFunctionType", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getReturnType = handle("LLVMGetReturnType", FunctionDescriptor.of(ADDRESS, ADDRESS));
        countParamTypes = handle("LLVMCountParamTypes", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getParamTypes = handle("LLVMGetParamTypes", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        isFunctionVarArg = handle("LLVMIsFunctionVarArg", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getTypeKind = handle("LLVMGetTypeKind", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getIntTypeWidth = handle("LLVMGetIntTypeWidth", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getFirstGlobal = handle("LLVMGetFirstGlobal", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getNextGlobal = handle("LLVMGetNextGlobal", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getInitializer = handle("LLVMGetInitializer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getNumOperands = handle("LLVMGetNumOperands", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        isAConstantStruct = handle("LLVMIsAConstantStruct", FunctionDescriptor.of(ADDRESS, ADDRESS));
        isAConstantArray = handle("LLVMIsAConstantArray", FunctionDescriptor.of(ADDRESS, ADDRESS));
        isAConstantVector = handle("LLVMIsAConstantVector", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getSubprogram = handle("LLVMGetSubprogram", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getMetadataKind = handle("LLVMGetMetadataKind", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getDINodeTag = handle("LLVMGetDINodeTag", FunctionDescriptor.of(JAVA_SHORT, ADDRESS));
        diTypeGetName = handle("LLVMDITypeGetName", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        diTypeGetFlags = handle("LLVMDITypeGetFlags", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        diTypeGetSizeInBits = handle("LLVMDITypeGetSizeInBits", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        valueAsMetadata = handle("LLVMValueAsMetadata", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getDebugLocDirectory = handle("LLVMGetDebugLocDirectory", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        getDebugLocFilename = handle("LLVMGetDebugLocFilename", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        getDebugLocLine = handle("LLVMGetDebugLocLine", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getDebugLocColumn = handle("LLVMGetDebugLocColumn", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** Opens the libLLVM at {@code path}; refuses one that lacks a function the reader needs. */
    static LibLlvm open(Path path) {
        SymbolLookup symbols;
        try {
            symbols = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load libLLVM from " + path + ": " + e.getMessage());
        }
        return new LibLlvm(path, symbols);
    }

    private MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment address = symbols.find(name).orElseThrow(() -> new IllegalArgumentException(
                path + " has no " + name + ": not a libLLVM, or one older than the LLVM 19 C API xcfi needs"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /** An upcall stub for {@code LLVMDiagnosticHandler} that appends error descriptions to {@code sink}. */
    MemorySegment diagnosticHandler(StringBuilder sink, Arena arena) {
        try {
            MethodHandle target = MethodHandles.lookup().findVirtual(LibLlvm.class, "onDiagnostic",
                            MethodType.methodType(void.class, StringBuilder.class, MemorySegment.class, MemorySegment.class))
                    .bindTo(this).bindTo(sink);
            return LINKER.upcallStub(target, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS), arena);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs inside libLLVM: an exception escaping an upcall would end the JVM, so none may. */
    private void onDiagnostic(StringBuilder sink, MemorySegment info, MemorySegment ignored) {
        try {
            if ((int) getDiagInfoSeverity.invokeExact(info) != SEVERITY_ERROR) return;
            MemorySegment text = (MemorySegment) getDiagInfoDescription.invokeExact(info);
            if (!sink.isEmpty()) sink.append("; ");
            sink.append(text.reinterpret(Long.MAX_VALUE).getString(0));
            disposeMessage.invokeExact(text);
        } catch (Throwable t) {
            sink.append("(unreadable diagnostic)");
        }
    }

    /** A length-delimited C string, as {@code LLVMGetValueName2} and friends return it. */
    static String string(MemorySegment chars, long length) {
        if (chars.equals(MemorySegment.NULL) || length == 0) return "";
        byte[] bytes = chars.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
