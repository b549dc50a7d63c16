package dev.soma.optim;

import dev.soma.tensor.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay, exactly as PyTorch's {@code torch.optim.AdamW}: the parameter shrinks
 * by γλ of itself, then takes {@link Adam}'s step, whose gradient carries no L2 term. For each parameter θ
 * with gradient g, at its step t:
 *
 * <pre>
 *   θ ← θ − γλθ                                              (decoupled weight decay)
 *   m ← β₁m + (1 − β₁)g
 *   v ← β₂v + (1 − β₂)g²
 *   m̂ ← m / (1 − β₁ᵗ)
 *   v̂ ← v / (1 − β₂ᵗ)                        without AMSGrad
 *   vₘₐₓ ← max(vₘₐₓ, v),  v̂ ← vₘₐₓ / (1 − β₂ᵗ)   with AMSGrad
 *   θ ← θ − γ m̂ / (√v̂ + ε)
 * </pre>
 *
 * Defaults: γ = 1e-3, (β₁, β₂) = (0.9, 0.999), ε = 1e-8, λ = 0.01, AMSGrad off. Reference: Loshchilov and
 * Hutter, "Decoupled Weight Decay Regularization", 2019.
 */
public final class AdamW extends Adam {

    /** AdamW with PyTorch's defaults. */
    public AdamW(List<Tensor> params) {
        this(builder(params));
    }

    AdamW(Builder options) {
        super(options);
    }

    /** Options with PyTorch's defaults (λ = 0.01); {@code build()} returns an {@code AdamW}. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(params, true, 0.01);
    }
}
