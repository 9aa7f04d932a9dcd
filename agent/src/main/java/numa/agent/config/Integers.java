package numa.agent.config;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Turns what an expression found (a group, a variable, a value from the application) into a device
 * or node number: an integer from 0 to {@link Integer#MAX_VALUE}; otherwise a reason for a message.
 */
final class Integers {
    private Integers() {
    }

    /** A number, or why the text is not one: {@code "is not an integer"}, {@code "is negative"}. */
    record Result(int value, String whyNot) {
        boolean ok() {
            return whyNot == null;
        }

        /** Below 0: for a device, how DJL, PyTorch and xLLM say "the CPU, no device". */
        boolean negative() {
            return "is negative".equals(whyNot);
        }
    }

    /** Digits only, around them blanks allowed (a variable set to " 2" is still 2). */
    static Result parse(String text) {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        String digits = negative ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return new Result(-1, "is not an integer");
        }
        if (negative && !digits.chars().allMatch(c -> c == '0')) {
            return new Result(-1, "is negative");
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 10 || Long.parseLong(significant) > Integer.MAX_VALUE) {
            return new Result(-1, "is too large");
        }
        return new Result(Integer.parseInt(significant), null);
    }

    /**
     * A value a path expression ended on: a Java integral number, any {@link Number} with an integral
     * value, or a string of digits.
     */
    static Result of(Object value) {
        if (value instanceof CharSequence text) {
            return parse(text.toString());
        }
        if (value instanceof Number number) {
            BigInteger integral = integral(number);
            if (integral == null) {
                return new Result(-1, "is not an integer");
            }
            if (integral.signum() < 0) {
                return new Result(-1, "is negative");
            }
            if (integral.bitLength() > 31) {
                return new Result(-1, "is too large");
            }
            return new Result(integral.intValue(), null);
        }
        return new Result(-1, value == null ? "is null" : "is not an integer");
    }

    private static BigInteger integral(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            return BigInteger.valueOf(number.longValue());
        }
        if (number instanceof BigInteger big) {
            return big;
        }
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            return Double.isFinite(d) && d == Math.rint(d) ? BigDecimal.valueOf(d).toBigInteger() : null;
        }
        try {
            // BigDecimal, AtomicInteger, AtomicLong, LongAdder, ... : exact when integral
            return new BigDecimal(number.toString()).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }
}
