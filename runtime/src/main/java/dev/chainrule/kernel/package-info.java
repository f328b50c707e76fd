/**
 * Small static kernels that generated models call: activation functions and their derivatives,
 * fused loss gradients, argument checks, and seeded initialisation. Public because generated
 * code in the user's packages calls them; not meant to be called directly.
 */
package dev.chainrule.kernel;
