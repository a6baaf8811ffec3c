package org.jdnn.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the native library loader did, library by library: what was looked for, where it was
 * found, its version, and for each failure the exact reason and what to install. Printed by
 * {@code jdnn devices --doctor}; its {@link #summary()} is the one-line reason of a failed probe.
 */
public final class LoadReport {
  /** The outcome for one library. */
  public enum Status {
    /** Loaded by absolute path. */
    LOADED,
    /** Not loaded by us; left to the dynamic linker (the NVIDIA driver's libcuda.so.1 when not found). */
    DEFERRED,
    /** Satisfied through the forwarding library (libcublas.so.12 to libcublas.so.13). */
    FORWARDED,
    NOT_FOUND,
    FAILED,
    /** Optional, absent, and not needed for what jdnn calls. */
    ABSENT_OPTIONAL
  }

  /** One library: its role (cuBLAS, cuDNN, ...), the file name wanted, and what happened. */
  public record Entry(String role, String wanted, Status status, String path, String version, String detail,
      String remedy) {
    public boolean ok() {
      return status == Status.LOADED || status == Status.DEFERRED || status == Status.FORWARDED
          || status == Status.ABSENT_OPTIONAL;
    }

    /** {@code cuDNN libcudnn.so.9: loaded /x/libcudnn.so.9 (9.5.1)}. */
    public String line() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("%-14s %-22s %s", role, wanted, status.name().toLowerCase().replace('_', ' ')));
      if (path != null) sb.append(' ').append(path);
      if (version != null) sb.append(" (version ").append(version).append(')');
      if (detail != null) sb.append(": ").append(detail);
      if (!ok() && remedy != null) sb.append("; ").append(remedy);
      return sb.toString();
    }
  }

  private final List<LibrarySearch.Dir> searched;
  private final List<Entry> entries = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  LoadReport(List<LibrarySearch.Dir> searched) {
    this.searched = List.copyOf(searched);
  }

  void add(Entry e) {
    entries.add(e);
  }

  void note(String s) {
    notes.add(s);
  }

  public List<LibrarySearch.Dir> searched() {
    return searched;
  }

  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  public List<String> notes() {
    return Collections.unmodifiableList(notes);
  }

  /** The entry for a library file name, or null. */
  public Entry entry(String wanted) {
    for (Entry e : entries) if (e.wanted().equals(wanted)) return e;
    return null;
  }

  /** True when every required library is usable. */
  public boolean ok() {
    return entries.stream().allMatch(Entry::ok);
  }

  /** The first failure in one line (reason and remedy), or a summary of what was loaded. */
  public String summary() {
    for (Entry e : entries) {
      if (!e.ok()) {
        return e.role() + " (" + e.wanted() + ") " + e.status().name().toLowerCase().replace('_', ' ')
            + (e.detail() != null ? ": " + e.detail() : "") + (e.remedy() != null ? "; " + e.remedy() : "");
      }
    }
    List<String> parts = new ArrayList<>();
    for (Entry e : entries) {
      if (e.status() == Status.LOADED || e.status() == Status.FORWARDED) {
        parts.add(e.wanted() + (e.version() != null ? " " + e.version() : "")
            + (e.status() == Status.FORWARDED ? " (forwarded)" : ""));
      }
    }
    return "loaded " + String.join(", ", parts);
  }

  /** The first failure without its remedy (for a one-line reason that already says where the details are). */
  public String shortSummary() {
    for (Entry e : entries) {
      if (!e.ok()) {
        return e.role() + " (" + e.wanted() + ") " + e.status().name().toLowerCase().replace('_', ' ')
            + (e.detail() != null ? ": " + e.detail() : "");
      }
    }
    return summary();
  }

  /** The full report: the search order, then one line per library, then notes. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("searched, in order (").append(searched.size()).append(" existing folders):\n");
    int i = 1;
    for (LibrarySearch.Dir d : searched) sb.append(String.format("  %2d. %s%n", i++, d));
    if (searched.isEmpty()) sb.append("  (none of the candidate folders exists)\n");
    sb.append("libraries:\n");
    for (Entry e : entries) sb.append("  ").append(e.line()).append('\n');
    for (String n : notes) sb.append("  note: ").append(n).append('\n');
    return sb.toString();
  }
}
