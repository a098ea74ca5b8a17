#!/bin/sh
# kubectl-unikernetes: the Unikernetes kubectl plugin. A Java program (17 or later, from $JAVA_HOME or PATH):
# this line starts it, the jar follows in the same file. Copy this file onto PATH; kubectl finds it.
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx256m -jar "$0" "$@"
