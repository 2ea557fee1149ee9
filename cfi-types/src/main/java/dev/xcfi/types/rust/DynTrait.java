package dev.xcfi.types.rust;

import java.util.List;

/**
 * {@code dyn Trait<Args, Assoc = T> + Auto + 'r}. The predicates are kept in rustc's canonical
 * order ({@link ExistentialPredicate}); auto traits by rustc's stable order, see
 * {@link RustStd#AUTO_TRAIT_ORDER}.
 */
public record DynTrait(List<ExistentialPredicate> predicates, Region region) implements RustType {
    public DynTrait {
        predicates = List.copyOf(predicates);
    }

    @Override
    public RustType resolved() {
        return this;
    }
}
