package io.jpod.runtime.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Container and pod names in libpod's adjective_surname style, and random IDs. */
final class NameGenerator {
    /** libpod's define.NameRegex. */
    static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");

    private static final List<String> ADJECTIVES = List.of("admiring", "adoring", "affectionate", "agitated",
            "amazing", "angry", "awesome", "beautiful", "blissful", "bold", "boring", "brave", "busy", "charming",
            "clever", "compassionate", "competent", "condescending", "confident", "cool", "cranky", "crazy",
            "dazzling", "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant",
            "eloquent", "epic", "exciting", "fervent", "festive", "flamboyant", "focused", "friendly", "frosty",
            "funny", "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore", "heuristic", "hopeful",
            "hungry", "infallible", "inspiring", "intelligent", "interesting", "jolly", "jovial", "keen", "kind",
            "laughing", "loving", "lucid", "magical", "modest", "musing", "mystifying", "naughty", "nervous", "nice",
            "nifty", "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive", "practical",
            "priceless", "quirky", "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene",
            "sharp", "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender",
            "thirsty", "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly",
            "wonderful", "xenodochial", "youthful", "zealous", "zen");

    private static final List<String> SURNAMES = List.of("albattani", "allen", "almeida", "archimedes", "ardinghelli",
            "aryabhata", "austin", "babbage", "banach", "bardeen", "bartik", "bassi", "beaver", "bell", "bhabha",
            "bhaskara", "black", "blackwell", "bohr", "booth", "borg", "bose", "boyd", "brahmagupta", "brattain",
            "brown", "burnell", "cannon", "carson", "cartwright", "cerf", "chandrasekhar", "chaplygin", "chatelet",
            "chatterjee", "chebyshev", "clarke", "cohen", "colden", "cori", "cray", "curie", "darwin", "davinci",
            "dijkstra", "dubinsky", "easley", "edison", "einstein", "elion", "engelbart", "euclid", "euler",
            "faraday", "feistel", "fermat", "fermi", "feynman", "franklin", "galileo", "gates", "goldberg",
            "goldstine", "goldwasser", "golick", "goodall", "gould", "greider", "grothendieck", "haibt", "hamilton",
            "hawking", "heisenberg", "hermann", "herschel", "hertz", "hodgkin", "hofstadter", "hoover", "hopper",
            "hugle", "hypatia", "jackson", "jang", "jennings", "jepsen", "johnson", "joliot", "jones", "kalam",
            "kapitsa", "keldysh", "keller", "kepler", "khorana", "kilby", "kirch", "knuth", "kowalevski", "lalande",
            "lamarr", "lamport", "leakey", "leavitt", "lederberg", "lehmann", "lewin", "lichterman", "liskov",
            "lovelace", "lumiere", "mahavira", "margulis", "matsumoto", "maxwell", "mayer", "mccarthy", "mcclintock",
            "mclaren", "mclean", "mcnulty", "meitner", "mendel", "mestorf", "mirzakhani", "montalcini", "moore",
            "morse", "moser", "murdock", "napier", "nash", "neumann", "newton", "nightingale", "nobel", "noether",
            "northcutt", "noyce", "panini", "pare", "pascal", "pasteur", "payne", "perlman", "pike", "poincare",
            "poitras", "proskuriakova", "ptolemy", "raman", "ramanujan", "rhodes", "ride", "ritchie", "robinson",
            "roentgen", "rosalind", "rubin", "saha", "sammet", "sanderson", "satoshi", "shamir", "shannon", "shaw",
            "shirley", "shockley", "shtern", "sinoussi", "snyder", "solomon", "spence", "stonebraker", "sutherland",
            "swanson", "swartz", "swirles", "taussig", "tesla", "tharp", "thompson", "torvalds", "tu", "turing",
            "varahamihira", "vaughan", "villani", "visvesvaraya", "volhard", "wescoff", "wilbur", "wiles",
            "williams", "williamson", "wilson", "wing", "wozniak", "wright", "wu", "yalow", "yonath", "zhukovsky");

    private final Random random = new SecureRandom();

    /** A name for which {@code taken} is false; after many collisions a digit is appended, as libpod does. */
    String uniqueName(Predicate<String> taken) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                    + SURNAMES.get(random.nextInt(SURNAMES.size()));
            if (attempt >= 10) {
                name += random.nextInt(10);
            }
            if (!taken.test(name)) {
                return name;
            }
        }
        throw new IllegalStateException("no free name after 1000 attempts");
    }

    /** A 64-hex-digit ID whose 12-digit short form is not all digits, as docker's stringid. */
    String randomId() {
        byte[] b = new byte[32];
        while (true) {
            random.nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            if (!id.substring(0, 12).chars().allMatch(Character::isDigit)) {
                return id;
            }
        }
    }
}
