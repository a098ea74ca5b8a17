package io.unikernetes.agent.network;

import java.util.Map;

/**
 * Expands {@code $(VAR)} references in a guest's command line the way Kubernetes expands them in a Pod's
 * command and args (third_party/forked/golang/expansion): {@code $(NAME)} becomes the variable's value when
 * it is defined and stays as written when not; {@code $$} is an escaped {@code $}, so {@code $$(NAME)} stays
 * the literal {@code $(NAME)}; any other {@code $} is kept. Pure.
 */
public final class CmdlineVariables {

  private CmdlineVariables() {
  }

  public static String expand(String input, Map<String, String> variables) {
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 == input.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append("$(");
          i += 2;
          continue;
        }
        String name = input.substring(i + 2, close);
        String value = variables.get(name);
        out.append(value != null ? value : input.substring(i, close + 1));
        i = close + 1;
      } else {
        out.append(c).append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
