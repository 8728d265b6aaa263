package io.jpod.linux;

/** A terminal's size, as TIOCGWINSZ tells it: rows and columns (0 when the terminal does not know). */
public record WindowSize(int rows, int columns) {
}
