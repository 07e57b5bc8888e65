#!/bin/sh
# Regenerates jacoco.xml with JaCoCo 0.8.6 (Debian libjacoco-java) and OpenJDK 17.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cd "$work"
J=/usr/share/java
CP="$J/org.jacoco.core.jar:$J/org.jacoco.report.jar:$J/asm.jar:$J/asm-commons.jar:$J/asm-tree.jar"
mkdir classes tool
javac --release 11 -g -d classes "$here/head/src/main/java/com/acme/Calc.java"
javac -cp "$CP" -d tool "$here/tool/Report.java"
java -cp "$CP:tool" Report classes/com/acme/Calc.class "$here/jacoco.xml"
rm -rf "$work"
