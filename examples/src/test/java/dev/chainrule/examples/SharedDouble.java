package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Precision;

/** A double network for {@link SharedParametersTest}. */
@Network(loss = Loss.MSE, precision = Precision.DOUBLE)
interface SharedDouble {
    @Input
    int FEATURES = 12;

    @Dense(activation = Activation.GELU)
    int HIDDEN = 24;

    @Dense(activation = Activation.IDENTITY)
    int OUTPUTS = 3;
}
