package io.unikernetes.api.v1alpha1.status;

/** The status of a condition, as Kubernetes API conventions spell it. */
public enum ConditionStatus {
  True,
  False,
  Unknown;

  public static ConditionStatus of(boolean value) {
    return value ? True : False;
  }
}
