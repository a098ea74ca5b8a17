package io.unikernetes.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one boot of a guest printed: its last lines (a bounded window, oldest dropped first), where that window
 * starts in the boot's output, and when lines were published, so a reader can follow it and ask for a time range.
 */
public class ConsoleBoot {

  @JsonPropertyDescription("The guest's status.restartCount during this boot: 0 for the first.")
  private int restartCount;

  @JsonPropertyDescription("When the guest's domain started for this boot (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("How many lines of this boot came before the first one kept in text: older lines are "
      + "dropped once a boot's text exceeds the agent's --console-retained-bytes.")
  private long firstLine;

  @JsonPropertyDescription("The boot's kept console lines, each ending in a newline, as the guest printed them "
      + "(UTF-8; invalid bytes replaced).")
  private String text = "";

  @JsonPropertyDescription("How many bytes of the guest's console log the agent has read for this boot.")
  private long bytesRead;

  @JsonPropertyDescription("Whether the boot is over (the domain stopped or was started again): no more lines "
      + "will come.")
  private boolean ended;

  @JsonPropertyDescription("When lines were published: each mark gives the line number (counted from the boot's "
      + "first line) of the first line published at that time. At most 32 marks, thinned as lines are dropped.")
  private List<ConsoleMark> marks = new ArrayList<>();

  public int getRestartCount() {
    return restartCount;
  }

  public void setRestartCount(int restartCount) {
    this.restartCount = restartCount;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public long getFirstLine() {
    return firstLine;
  }

  public void setFirstLine(long firstLine) {
    this.firstLine = firstLine;
  }

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }

  public long getBytesRead() {
    return bytesRead;
  }

  public void setBytesRead(long bytesRead) {
    this.bytesRead = bytesRead;
  }

  public boolean isEnded() {
    return ended;
  }

  public void setEnded(boolean ended) {
    this.ended = ended;
  }

  public List<ConsoleMark> getMarks() {
    return marks;
  }

  public void setMarks(List<ConsoleMark> marks) {
    this.marks = marks;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsoleBoot other && restartCount == other.restartCount && firstLine == other.firstLine
        && bytesRead == other.bytesRead && ended == other.ended && Objects.equals(startTime, other.startTime)
        && Objects.equals(text, other.text) && Objects.equals(marks, other.marks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(restartCount, startTime, firstLine, text, bytesRead, ended, marks);
  }
}
