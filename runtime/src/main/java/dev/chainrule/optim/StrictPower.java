package dev.chainrule.optim;

/**
 * {@code StrictMath.pow(x, y)}, the same bits, computed without allocating for the powers the
 * optimizers take: Adam's bias corrections {@code beta^t} and the decaying schedules' {@code
 * factor^k}.
 *
 * <p>{@code StrictMath.pow} is fdlibm's {@code e_pow.c}, whose Java form in the JDK keeps three
 * two-element tables in local arrays, read at an index chosen by the range of the base's
 * mantissa. Compiled by C2 it allocates them, 96 bytes a call: on JDK 17 on every call (Adam's two
 * a step were its only allocation), on JDK 25 once the JVM has also seen bases of the other range.
 * This class follows the same algorithm, with the tables as branches, for {@code 0 < x <= 1} and
 * {@code 0 <= y <= 2^31} (any real {@code y}, whole or not, and subnormal results included), and is
 * checked against {@code StrictMath.pow} by {@code StrictPowerTest}. Outside that domain it calls
 * {@code StrictMath.pow}.
 *
 * <p>The algorithm, its constants and their names are fdlibm's: Copyright (C) 2004 by Sun
 * Microsystems, Inc. All rights reserved. Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice is preserved.
 */
final class StrictPower {
    private StrictPower() {}

    /** The largest {@code y} computed here; fdlibm treats exponents above about it separately. */
    static final double LARGEST_EXPONENT = 0x1p31;

    private static final double TWO53 = 0x1p53;
    /** The high part of {@code log2(1.5)} and the rest. */
    private static final double DP_H1 = 0x1.2b8034p-1;

    private static final double DP_L1 = 0x1.cfdeb43cfd006p-27;
    /** The coefficients of the logarithm's series. */
    private static final double L1 = 0x1.3333333333303p-1;

    private static final double L2 = 0x1.b6db6db6fabffp-2;
    private static final double L3 = 0x1.55555518f264dp-2;
    private static final double L4 = 0x1.17460a91d4101p-2;
    private static final double L5 = 0x1.d864a93c9db65p-3;
    private static final double L6 = 0x1.a7e284a454eefp-3;
    /** The coefficients of the exponential's series. */
    private static final double P1 = 0x1.555555555553ep-3;

    private static final double P2 = -0x1.6c16c16bebd93p-9;
    private static final double P3 = 0x1.1566aaf25de2cp-14;
    private static final double P4 = -0x1.bbd41c5d26bf1p-20;
    private static final double P5 = 0x1.6376972bea4dp-25;
    /** {@code log(2)}, and split in a high part of 32 bits and the rest. */
    private static final double LG2 = 0x1.62e42fefa39efp-1;

    private static final double LG2_H = 0x1.62e43p-1;
    private static final double LG2_L = -0x1.05c610ca86c39p-29;
    /** {@code 2 / (3 log(2))}, and split in a high part and the rest. */
    private static final double CP = 0x1.ec709dc3a03fdp-1;

    private static final double CP_H = 0x1.ec709ep-1;
    private static final double CP_L = -0x1.e2fe0145b01f5p-28;

    /** {@code StrictMath.pow(x, y)}, without allocating for {@code 0 < x <= 1} and {@code 0 <= y <= 2^31}. */
    static double of(double x, double y) {
        if (!(x > 0 && x <= 1 && y >= 0 && y <= LARGEST_EXPONENT)) {
            return StrictMath.pow(x, y);
        }
        // fdlibm's special cases first, in its order
        if (y == 0 || x == 1) {
            return 1;
        }
        if (y == 2) {
            return x * x;
        }
        if (y == 0.5) {
            return Math.sqrt(x);
        }
        if (y == 1) {
            return x;
        }
        return power(x, y);
    }

    /** fdlibm's general case for {@code 0 < x < 1} and {@code 0 < y <= 2^31}. */
    private static double power(double x, double y) {
        // log2(x) as t1 + t2, t1 with a 32-bit mantissa
        double ax = x;
        int ix = high(ax);
        int n = 0;
        if (ix < 0x00100000) {
            ax *= TWO53;
            n -= 53;
            ix = high(ax);
        }
        n += (ix >> 20) - 0x3ff;
        int j = ix & 0x000fffff;
        ix = j | 0x3ff00000;
        // the mantissa's interval: below sqrt(3/2) k = 0, below sqrt(3) k = 1, else the next binade's k = 0
        int k;
        if (j <= 0x3988E) {
            k = 0;
        } else if (j < 0xBB67A) {
            k = 1;
        } else {
            k = 0;
            n += 1;
            ix -= 0x00100000;
        }
        ax = withHigh(ax, ix);
        double bp = k == 0 ? 1.0 : 1.5;
        double dpH = k == 0 ? 0.0 : DP_H1;
        double dpL = k == 0 ? 0.0 : DP_L1;
        // ss = sH + sL = (ax - bp) / (ax + bp)
        double u = ax - bp;
        double v = 1.0 / (ax + bp);
        double ss = u * v;
        double sH = lowCleared(ss);
        double tH = withHigh(0.0, ((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18));
        double tL = ax - (tH - bp);
        double sL = v * ((u - sH * tH) - sH * tL);
        // log(ax)
        double s2 = ss * ss;
        double r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
        r += sL * (sH + ss);
        s2 = sH * sH;
        tH = lowCleared(3.0 + s2 + r);
        tL = r - ((tH - 3.0) - s2);
        u = sH * tH;
        v = sL * tH + tL * ss;
        double pH = lowCleared(u + v);
        double pL = v - (pH - u);
        double zH = CP_H * pH;
        double zL = CP_L * pH + pL * CP + dpL;
        double t = n;
        double t1 = lowCleared(((zH + zL) + dpH) + t);
        double t2 = zL - (((t1 - t) - dpH) - zH);
        // y * log2(x) as pH + pL, with y split as y1 + (y - y1)
        double y1 = lowCleared(y);
        pL = (y - y1) * t1 + y * t2;
        pH = y1 * t1;
        double z = pL + pH;
        // z = y log2(x) < 0 here: fdlibm's overflow case (z >= 1024) cannot arise
        j = high(z);
        if ((j & 0x7fffffff) >= 0x4090cc00) {
            // at most -1075: fdlibm's underflow to 0, exactly at -1075 only if the rest rounds it down
            if (((j - 0xc090cc00) | low(z)) != 0 || pL <= z - pH) {
                return 0;
            }
        }
        // 2^z = 2^n * 2^(pH + pL), |pH + pL| <= 0.5
        int i = j & 0x7fffffff;
        k = (i >> 20) - 0x3ff;
        n = 0;
        if (i > 0x3fe00000) {
            n = j + (0x00100000 >> (k + 1));
            k = ((n & 0x7fffffff) >> 20) - 0x3ff;
            t = withHigh(0.0, n & ~(0x000fffff >> k));
            n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
            n = -n;
            pH -= t;
        }
        t = lowCleared(pL + pH);
        u = t * LG2_H;
        v = (pL - (t - pH)) * LG2 + t * LG2_L;
        z = u + v;
        double w = v - (z - u);
        t = z * z;
        t1 = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
        r = (z * t1) / (t1 - 2.0) - (w + z * w);
        z = 1.0 - (r - z);
        j = high(z) + (n << 20);
        if ((j >> 20) <= 0) {
            // a subnormal result
            return Math.scalb(z, n);
        }
        return withHigh(z, j);
    }

    private static int high(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    private static int low(double x) {
        return (int) Double.doubleToRawLongBits(x);
    }

    private static double withHigh(double x, int high) {
        return Double.longBitsToDouble(((long) high << 32) | (Double.doubleToRawLongBits(x) & 0xffffffffL));
    }

    private static double lowCleared(double x) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) & 0xffffffff00000000L);
    }
}
