package io.jpod.registry.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Checks a blob's digest and size as it is read: more bytes than the size are refused as soon as they come; at the
 * end of the stream a short blob or a digest mismatch throws an IOException naming the expected and the actual
 * digest. A reader that stops early (and closes) gets no check: it has not seen the whole blob.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final String expected;
    private final long size;
    private final String what;
    private final MessageDigest md;
    private long count;
    private boolean checked;

    /**
     * @param expected {@code sha256:<hex>} (or sha512)
     * @param size     the bytes expected, or -1 when unknown
     * @param what     what the blob is, for the messages (e.g. the repository)
     */
    public VerifyingInputStream(InputStream in, String expected, long size, String what) {
        super(in);
        this.expected = expected;
        this.size = size;
        this.what = what;
        this.md = Digests.forDigest(expected);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = super.read(b, off, len);
        if (n < 0) {
            verify();
            return -1;
        }
        count += n;
        if (size >= 0 && count > size) {
            checked = true;
            throw new IOException("blob " + expected + " of " + what + " is longer than its size " + size
                    + ": refused after " + count + " bytes");
        }
        md.update(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: every byte goes through the digest once
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    private void verify() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        if (size >= 0 && count != size) {
            throw new IOException("blob " + expected + " of " + what + " is shorter than its size: " + count
                    + " of " + size + " bytes");
        }
        String actual = Digests.algorithm(md) + ":" + HexFormat.of().formatHex(md.digest());
        if (!actual.equals(expected)) {
            throw new IOException("blob of " + what + " does not match its digest: expected " + expected
                    + ", got " + actual);
        }
    }
}
