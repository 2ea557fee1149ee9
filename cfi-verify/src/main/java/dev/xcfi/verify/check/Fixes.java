package dev.xcfi.verify.check;

import dev.xcfi.types.rust.RustStd;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Concrete repairs for id mismatches between clang and rustc. */
final class Fixes {
    /** C integer types and their Itanium codes: the #[cfi_encoding] a Rust newtype needs to encode as that C type. */
    private static final Map<String, String> C_INTEGER_CODES = Map.ofEntries(
            Map.entry("char", "c"), Map.entry("signed char", "a"), Map.entry("unsigned char", "h"), Map.entry("short", "s"),
            Map.entry("unsigned short", "t"), Map.entry("int", "i"), Map.entry("unsigned int", "j"), Map.entry("long", "l"),
            Map.entry("unsigned long", "m"), Map.entry("long long", "x"), Map.entry("unsigned long long", "y"));
    /** The alternative every integer repair ends with; said once when a finding has several. */
    static final String OR_NORMALIZE = ", or build both sides with integer normalization (clang -fsanitize-cfi-icall-experimental-normalize-integers, "
            + "rustc -Zsanitizer-cfi-normalize-integers)";

    /**
     * One type that each compiler numbers its own way: a back-reference numbers alike only to a type
     * first written before the first function pointer, so reordering the C side is the repair.
     */
    static final String RENUMBERED = "no Rust type can make rustc number this id as clang does: in the C declaration put the function-pointer "
            + "parameter last (or let every type repeated after it appear before it), or pass the callback as `void *` on both sides";

    /**
     * rustc generalizes {@code *const T} and every function pointer to {@code *const ()}, clang a
     * function pointer to {@code void *}: a generalized id with a function-pointer parameter never
     * matches (a {@code #[cfi_encoding = "Pv"]} wrapper is a dictionary entry of its own, so it does
     * not either, checked with rustc 1.95).
     */
    static final String GENERALIZED_CALLBACK = "no Rust type can match a function-pointer parameter under pointer generalization: build both "
            + "sides without it (clang -fsanitize-cfi-icall-generalize-pointers, rustc -Zsanitizer-cfi-generalize-pointers)";

    private static final String DECLARE_MUT = "declare the Rust pointer `*mut`: C's does not point to const";
    private static final String DECLARE_CONST = "declare the Rust pointer `*const`: C's points to const";

    static final String GENERALIZED_CONST = DECLARE_MUT + "; if the parameter is a function "
            + "pointer, no Rust type can match under pointer generalization (rustc generalizes a function pointer to `*const ()`, clang to "
            + "`void *`): build both sides without it";

    private Fixes() {}

    /** A named type as the decoder prints it: a tag or a Rust path (its last segment kept), behind any pointers. */
    private static final Pattern NAMED = Pattern.compile("(?:(?:const|volatile) )*(?:struct |union |enum )?(?:[\\w]+::)*([A-Za-z_]\\w*)[ *]*(?:const)?[ *]*");
    private static final Set<String> BUILTIN_WORDS = Set.of("void", "char", "short", "int", "long", "float", "double", "_Bool", "bool",
            "__int128", "_Float16", "__bf16", "__fp16", "__float128", "__ibm128", "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32",
            "u64", "u128", "isize", "usize", "f32", "f64", "char32_t", "c_void");

    /**
     * The repairs for two ids that differ in {@code parts}, each said once; several integer
     * repairs share their alternative, which is said once, last.
     */
    static String suggest(boolean rustA, boolean rustB, List<IdExplainer.Difference> parts, String sameLanguage) {
        if (parts.isEmpty()) return suggest(rustA, rustB, Optional.empty(), sameLanguage);
        Set<String> fixes = new LinkedHashSet<>();
        for (IdExplainer.Difference d : parts) fixes.add(suggest(rustA, rustB, Optional.of(d), sameLanguage));
        if (fixes.size() == 1) return fixes.iterator().next();
        List<String> each = new ArrayList<>();
        boolean normalize = false;
        for (String f : fixes) {
            normalize |= f.endsWith(OR_NORMALIZE);
            each.add(f.endsWith(OR_NORMALIZE) ? f.substring(0, f.length() - OR_NORMALIZE.length()) : f);
        }
        return String.join("; ", each)
                + (normalize ? "; for the integers, integer normalization on both sides does as well" + OR_NORMALIZE.substring(OR_NORMALIZE.indexOf(" (")) : "");
    }

    /**
     * A repair for two ids that differ where {@code difference} says; {@code rustA}/{@code rustB}:
     * whether each comes from a rustc module (its producer); {@code sameLanguage}: the repair when
     * they come from one compiler.
     */
    static String suggest(boolean rustA, boolean rustB, Optional<IdExplainer.Difference> difference, String sameLanguage) {
        if (rustA == rustB || difference.isEmpty()) return sameLanguage;
        IdExplainer.Difference d = difference.get();
        if (d.kind() == IdExplainer.Difference.Kind.NUMBERING) return RENUMBERED;
        if (d.kind() == IdExplainer.Difference.Kind.GENERALIZED_CALLBACK) return GENERALIZED_CALLBACK;
        if (d.kind() == IdExplainer.Difference.Kind.GENERALIZED_DATA_POINTER) {
            return (rustA ? d.left() : d.right()).equals("const void *") ? DECLARE_MUT : DECLARE_CONST;
        }
        if (d.left() == null) return DECLARE_EXACTLY;   // a count or variadic difference
        String repair = repair(rustA ? d.right() : d.left(), rustA ? d.left() : d.right());
        return repair != null ? repair : DECLARE_EXACTLY;
    }

    private static final String DECLARE_EXACTLY = "declare the Rust side with types that encode exactly like the C definition's";

    /**
     * The repair for a part where C (or C++) has {@code c} and Rust has {@code rust}, both as the
     * reading that tells them apart prints them; null when none is known. The most specific first.
     */
    private static String repair(String c, String rust) {
        String r;
        if ((r = nonZero(c, rust)) != null) return r;             // c_uint vs NonZero<u32>
        if ((r = atomic(c, rust)) != null) return r;              // _Atomic(unsigned int) * vs &AtomicU32
        if ((r = namespaced(c, rust)) != null) return r;          // ui::Widget* vs Widget*
        if ((r = renamedType(c, rust)) != null) return r;         // z_stream_s * vs z_stream *
        if ((r = integer(c, rust)) != null) return r;             // long vs i64
        if ((r = pointedToInteger(c, rust)) != null) return r;    // long long * vs i64 *
        if ((r = constness(c, rust)) != null) return r;           // void * vs const void *
        if ((r = rawPointerFor(c, rust)) != null) return r;       // *const point vs Option<&point>
        if ((r = taggedInteger(c, rust)) != null) return r;       // color vs u32
        return plainRustType(c, rust);                            // _Bool vs u8, void * vs u8 *
    }

    /**
     * {@code c_uint} vs {@code NonZero<u32>} (or an {@code Option} of it): rustc encodes the
     * pattern type a NonZero wraps, which no C type is; the plain integer is what matches.
     */
    private static String nonZero(String c, String rust) {
        int at = rust.startsWith("NonZero<") ? 0 : rust.startsWith("Option<NonZero<") ? 7 : -1;
        if (at < 0 || rust.indexOf('>', at) < 0) return null;
        String why = "rustc encodes `" + rust + "` as a pattern type, which no C type is: declare the plain integer on the Rust side "
                + "and check for zero there";
        // the parts are compared as Rust (C cannot read the pattern): C's integer has its core::ffi name
        String integer = integer(cSpelling(c), rust.substring(at + 8, rust.indexOf('>', at)));
        return integer == null ? why : why + "; " + integer;
    }

    private static final Pattern C_ATOMIC = Pattern.compile("(?:_Atomic\\((.+)\\)|(.+) _Atomic) ?\\*");
    private static final Pattern RUST_ATOMIC = Pattern.compile(".*\\b(Atomic(?:Bool|[IU](?:8|16|32|64|size)))\\b.*");

    /**
     * C's {@code _Atomic(unsigned int) *} vs Rust's {@code &AtomicU32} (or a pointer to it): rustc
     * encodes core::sync::atomic's types by their names, C's id spells {@code U7_Atomic} and the
     * integer. A newtype with C's encoding, behind a {@code *mut}, matches (checked with rustc 1.95).
     */
    private static String atomic(String c, String rust) {
        Matcher cm = C_ATOMIC.matcher(c), rm = RUST_ATOMIC.matcher(rust);
        if (!cm.matches() || !rm.matches()) return null;
        String integer = (cm.group(1) != null ? cm.group(1) : cm.group(2)).strip();
        String code = C_INTEGER_CODES.get(integer);
        if (code == null) return null;
        String newtype = "CAtomic" + newtypeName(integer).substring(1);
        return "no Rust type encodes as C's `_Atomic` (rustc encodes core::sync::atomic's types by their names): declare `*mut " + newtype
                + "` with #[repr(transparent)] #[cfi_encoding = \"U7_Atomic" + code + "\"] pub struct " + newtype + "(pub " + rm.group(1) + ");";
    }

    /** C's spelling of a core::ffi integer alias ({@code c_uint}: {@code unsigned int}), through their shared Itanium code; else {@code name}. */
    private static String cSpelling(String name) {
        for (Map.Entry<String, String> e : C_INTEGER_CODES.entrySet()) {
            if (name.equals(RustStd.C_INTEGER_ALIASES.get(e.getValue().charAt(0)))) return e.getKey();
        }
        return name;
    }

    /** {@code long} vs {@code i64}: a newtype with the C integer's Itanium code. */
    private static String integer(String c, String rust) {
        String code = C_INTEGER_CODES.get(c);
        if (code == null) return null;
        return "on the Rust side use a newtype that encodes as C `" + c + "`: #[repr(transparent)] #[cfi_encoding = \"" + code
                + "\"] pub struct " + newtypeName(c) + "(pub " + rust + "); (the cfi_types crate provides these)" + OR_NORMALIZE;
    }

    /** {@code void *} vs {@code const void *}, either way round. */
    private static String constness(String c, String rust) {
        if (c.equals("void *") && rust.equals("const void *")) return GENERALIZED_CONST;
        if (c.equals("const void *") && rust.equals("void *")) return DECLARE_CONST;
        return null;
    }

    /**
     * {@code long long *} vs {@code i64 *}: an id spells the pointee, so the newtype goes behind the
     * pointer ({@code *mut CLongLong}); C's {@code const} on the pointee says {@code *const}.
     */
    private static String pointedToInteger(String c, String rust) {
        Pointees p = Pointees.of(c, rust);
        String code = C_INTEGER_CODES.get(p.c());
        if (p.pointers().isEmpty() || code == null || p.rust().contains(" ")) return null;
        String newtype = newtypeName(p.c());
        return "on the Rust side point to a newtype that encodes as C `" + p.c() + "`: #[repr(transparent)] #[cfi_encoding = \"" + code
                + "\"] pub struct " + newtype + "(pub " + p.rust() + "); and declare `" + p.pointers() + newtype + "` (the cfi_types crate provides these)"
                + OR_NORMALIZE;
    }

    /**
     * {@code Option<&T>}, {@code &mut T}, {@code Option<NonNull<T>>} (printed {@code Option<*const T>})
     * or {@code Option<extern "C" fn(…)>} where C has a pointer: rustc encodes references and
     * {@code Option} as themselves, never as the pointer C passes, so only a raw pointer or a bare
     * function pointer matches. {@code c} and {@code rust} are Rust views.
     */
    private static String rawPointerFor(String c, String rust) {
        boolean option = rust.startsWith("Option<") && rust.endsWith(">");
        String inner = option ? rust.substring("Option<".length(), rust.length() - 1) : rust;
        if (inner.startsWith("extern \"") || inner.startsWith("unsafe extern \"")) {
            // the function types may differ too: those parts follow this one, each with its repair
            if (!option || !(c.startsWith("extern \"") || c.startsWith("unsafe extern \""))) return null;
            return "rustc encodes `Option<…>` as the type core::option::Option, never as the function pointer it holds: declare the "
                    + "parameter as the bare `unsafe extern \"C\" fn(…)` without the Option (it cannot be null then); where C must be given null, "
                    + "no Rust type matches, so call the function directly rather than through a pointer";
        }
        String pointee;
        boolean box = inner.startsWith("Box<") && inner.endsWith(">");   // cbindgen's idiom for handing ownership across
        if (inner.startsWith("&mut ")) pointee = inner.substring(5);
        else if (inner.startsWith("&")) pointee = inner.substring(1);
        else if (box) pointee = inner.substring(4, inner.length() - 1);
        else if (option && inner.startsWith("*const ")) pointee = inner.substring(7);   // NonNull<T>, a *const T inside
        else return null;
        String cPointee = c.startsWith("*const ") ? c.substring(7) : c.startsWith("*mut ") ? c.substring(5) : null;
        if (!pointee.equals(cPointee)) return null;
        // a record's name or c_void is what the binding writes; a C integer's view name (c_char) stands for a #[cfi_encoding] newtype
        String kind = c.startsWith("*const ") ? "*const" : "*mut";
        String declare = cPointee.equals("()") ? kind + " c_void" : cPointee.startsWith("c_") ? kind + " …" : c;
        String encoded = option ? "`Option<…>` as the type core::option::Option" : box ? "`Box<…>` as the type alloc::boxed::Box" : "a reference as a reference";
        String convert = box ? " and convert with Box::into_raw and Box::from_raw" : "";
        String nullable = box && !option ? "" : " (a raw pointer may be null)";   // (a Box is never null: nothing is lost)
        return "declare the raw pointer `" + declare + "`" + convert + ": rustc encodes " + encoded + ", never as the pointer C's id has" + nullable;
    }

    private static final Set<String> RUST_INTEGERS = Set.of("i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128", "isize", "usize");

    /**
     * {@code color} vs {@code u32}: C's id spells an enum by its tag, and bindgen's default binding
     * of a C enum is an integer alias ({@code pub type color = c_uint}); a newtype that encodes as
     * the tag matches (checked with rustc 1.95: {@code #[cfi_encoding = "5color"]}).
     */
    private static String taggedInteger(String c, String rust) {
        Pointees p = Pointees.of(c, rust);
        String cBase = p.c(), rustBase = p.rust(), pointers = p.pointers();
        if (!RUST_INTEGERS.contains(rustBase) || !cBase.matches("[A-Za-z_]\\w*") || BUILTIN_WORDS.contains(cBase)) return null;
        String newtype = RustTwins.names(cBase).getLast();
        if (newtype.equals(cBase)) newtype = Character.toUpperCase(cBase.charAt(0)) + cBase.substring(1) + (Character.isUpperCase(cBase.charAt(0)) ? "Tag" : "");
        return "C's id spells `" + cBase + "` by its name (an enum's tag, most likely; bindgen binds it as an integer): on the Rust side use "
                + "a newtype that encodes as that name: #[repr(transparent)] #[cfi_encoding = \"" + cBase.length() + cBase + "\"] pub struct " + newtype
                + "(pub " + rustBase + ");" + (pointers.isEmpty() ? "" : " and declare `" + pointers + newtype + "`");
    }

    /**
     * Two spellings with their common pointer levels taken off: what each points to, and the Rust
     * pointers to declare ({@code *mut *const }), C's {@code const} on a pointee saying {@code *const}.
     */
    private record Pointees(String c, String rust, String pointers) {
        static Pointees of(String c, String rust) {
            String cBase = c, rustBase = rust, pointers = "";
            while (cBase.endsWith("*") && rustBase.endsWith("*")) {
                boolean constant = cBase.startsWith("const ") || cBase.endsWith("const *");
                cBase = unqualified(cBase.substring(0, cBase.length() - 1));
                rustBase = unqualified(rustBase.substring(0, rustBase.length() - 1));
                pointers = (constant ? "*const " : "*mut ") + pointers;
            }
            return new Pointees(cBase, rustBase, pointers);
        }
    }

    /**
     * Where Rust has the very type C means and a binding wrote an integer instead: {@code _Bool} as
     * {@code u8} (rustc encodes {@code bool} as {@code b}, as clang does), {@code void *} as
     * {@code *mut u8} ({@code c_void} encodes as {@code v}).
     */
    private static String plainRustType(String c, String rust) {
        Pointees p = Pointees.of(c, rust);
        if (!RUST_INTEGERS.contains(p.rust())) return null;
        if (p.c().equals("_Bool")) return "declare `" + p.pointers() + "bool`: rustc encodes bool as C's _Bool (b), an integer as itself";
        if (p.c().equals("void") && !p.pointers().isEmpty()) {
            return "declare `" + p.pointers() + "c_void`: rustc encodes c_void as C's void (v), " + p.rust() + " as itself";
        }
        return null;
    }

    /** A C++ class in namespaces behind pointers or references ({@code ui::Widget*}); {@code std}'s names are abbreviated in ids and left out. */
    private static final Pattern CXX_NAMESPACED = Pattern.compile("(?:const )?((?:[A-Za-z_]\\w*::)+)([A-Za-z_]\\w*)(?: const)?[*& ]*");

    /**
     * {@code ui::Widget*} vs {@code Widget*}: clang++ spells a class with its namespaces
     * ({@code N2ui6WidgetE}), a Rust binding's struct is its bare name; the struct given that
     * encoding matches (checked with rustc 1.95 and clang++ 22).
     */
    private static String namespaced(String c, String rust) {
        Matcher m = CXX_NAMESPACED.matcher(c.trim());
        if (!m.matches() || m.group(1).startsWith("std::")) return null;
        String rustName = typeName(rust);
        if (rustName == null) return null;
        StringBuilder mangled = new StringBuilder("N");
        for (String part : (m.group(1) + m.group(2)).split("::")) mangled.append(part.length()).append(part);
        mangled.append('E');
        return "C++'s id spells the class with its namespaces, `" + m.group(1) + m.group(2) + "`: give the Rust type " + rustName
                + " that encoding with #[cfi_encoding = \"" + mangled + "\"] (rustc's cfi_encoding feature)";
    }

    /** A spelling without its trailing blank and its {@code const}s ({@code const long long } → {@code long long}). */
    private static String unqualified(String spelling) {
        return spelling.replace("const ", "").replace(" const", "").trim();
    }

    /**
     * {@code z_stream *} vs {@code z_stream_s *}: one struct under two names. An id spells the
     * name — C's the struct's tag (a typedef name is not in it), Rust's its own type's — so bindings
     * that name a struct after C's typedef never match.
     */
    private static String renamedType(String c, String rust) {
        String cName = typeName(c), rustName = typeName(rust);
        if (cName == null || rustName == null || cName.equals(rustName)) return null;
        return "the Rust type `" + rustName + "` stands for C's `" + cName + "`, and ids spell type names (C: a struct's tag, "
                + "never its typedef): name the Rust type " + cName + ", or give it C's encoding with #[cfi_encoding = \""
                + cName.length() + cName + "\"] (rustc's cfi_encoding feature)";
    }

    private static String typeName(String spelling) {
        Matcher m = NAMED.matcher(spelling.trim());
        return m.matches() && !BUILTIN_WORDS.contains(m.group(1)) ? m.group(1) : null;
    }

    private static String newtypeName(String c) {
        StringBuilder out = new StringBuilder("C");
        for (String w : c.split(" ")) out.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        return out.toString();
    }
}
