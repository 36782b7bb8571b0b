package dev.lucid.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lucid.nn.Loss;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** What the trainer hands a method for one training step. */
public interface StepContext {

    /** The step's scope: arrays created here are freed after the step. */
    NDManager manager();

    /** The configured pixel loss ("loss" in the config). */
    Loss loss();

    /** A generator for this step alone (a pure function of seed and step), separate from the batch's. */
    SplittableRandom random();

    /**
     * Records gradients while {@code loss} is computed, back-propagates it and updates the parameters of the
     * optimiser group {@code group}; gradients that reached other groups' parameters are discarded.
     * @return the loss value
     */
    float optimise(String group, Supplier<NDArray> loss);

    /** Whether this run trains the optimiser group {@code group} (an adaptation trains its adapters' group alone). */
    boolean trains(String group);
}
