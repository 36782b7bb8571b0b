package dev.lucid.degrade;

/**
 * A noise recipe that needs more than this package (e.g. a trained model, as {@code transfer:REF} does), registered with
 * {@link java.util.ServiceLoader} in {@code META-INF/services/dev.lucid.degrade.RecipeProvider} and found by
 * {@link Degradations#parse} from its prefix.
 */
public interface RecipeProvider {

    /** The recipe's kind, the part before the colon, e.g. "transfer". */
    String kind();

    /**
     * The degradation of the recipe's arguments (the text after the colon, case kept).
     * @throws IllegalArgumentException with one line saying what is wrong
     */
    Degradation parse(String arguments);

    /**
     * The recipe {@code KIND:fit…} fitted to one real noisy image (its reference; see {@link NoiseFit}), {@code arguments}
     * being what follows {@code :fit}.
     */
    default Degradation fitted(String arguments, dev.lucid.image.Image noisy) {
        throw new IllegalArgumentException("no fit for '" + kind() + "'");
    }
}
