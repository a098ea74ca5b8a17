package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A line of a boot's console and when it was published. */
public class ConsoleMark {

  @JsonPropertyDescription("Line number in the boot's output, from 0.")
  private long line;

  @JsonPropertyDescription("When the agent read that line from the console (RFC 3339).")
  private String time;

  public ConsoleMark() {
  }

  public ConsoleMark(long line, String time) {
    this.line = line;
    this.time = time;
  }

  public long getLine() {
    return line;
  }

  public void setLine(long line) {
    this.line = line;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsoleMark other && line == other.line && Objects.equals(time, other.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(line, time);
  }
}
