# shellcheck shell=bash
# Finds a JDK that can build and run Soma (Java 25 or newer). Source this file, then:
#
#     soma_find_jdk || exit 1
#     "$SOMA_JAVA_HOME/bin/java" ...
#
# soma_find_jdk sets SOMA_JAVA_HOME (and SOMA_JAVA_VERSION, e.g. "25.0.3") to the first of:
#   1. $JAVA_HOME, if it is a JDK 25+;
#   2. the `java` on PATH, if it is 25+ (its home is resolved through symlinks);
#   3. the newest JDK 25+ in the directories of $SOMA_JVM_DIRS (colon-separated), by default
#      /usr/lib/jvm, /usr/local/lib/jvm, ~/.sdkman/candidates/java, ~/.jdks and
#      /Library/Java/JavaVirtualMachines.
# "A JDK" means a directory with bin/java and bin/javac (Maven needs the compiler). Versions come
# from the JDK's `release` file (JAVA_VERSION="25.0.3"), or from `java -version` without one.
# With none found it prints what it looked at and how to get a JDK 25 on stderr, and returns 1.
#
# Safe to source from scripts running under `set -euo pipefail`; defines only soma_* names.

SOMA_MIN_JAVA=25

# Prints the full version ("25.0.3", "26-ea", "1.8.0_392") of the Java at home $1; fails without one.
_soma_java_version() {
    local home=$1 line v='' out
    [[ -x $home/bin/java ]] || return 1
    if [[ -f $home/release && -r $home/release ]]; then
        while IFS= read -r line || [[ -n $line ]]; do
            if [[ $line == JAVA_VERSION=* ]]; then
                v=${line#JAVA_VERSION=}
                v=${v//\"/}
                v=${v//[[:space:]]/}
                break
            fi
        done < "$home/release"
    fi
    if [[ ! $v =~ ^[0-9] ]]; then
        # e.g. `openjdk version "25.0.1" 2025-10-21` (maybe after "Picked up JAVA_TOOL_OPTIONS: ...").
        out=$("$home/bin/java" -version 2>&1 < /dev/null) || true
        v=''
        if [[ $out =~ version\ \"([^\"]+)\" ]]; then
            v=${BASH_REMATCH[1]}
        fi
    fi
    [[ $v =~ ^[0-9] ]] || return 1
    printf '%s\n' "$v"
}

# The feature release of a version string: "25.0.3" -> 25, "26-ea" -> 26, "1.8.0_392" -> 8.
_soma_java_major() {
    local v=$1
    [[ $v == 1.* ]] && v=${v#1.}
    v=${v%%[!0-9]*}
    printf '%s\n' "${v:-0}"
}

# Canonical path of $1 with symlinks resolved (readlink -f where it exists, else by hand).
_soma_realpath() {
    local p=$1 dir link
    if readlink -f / > /dev/null 2>&1; then
        readlink -f -- "$p"
        return
    fi
    while [[ -L $p ]]; do
        dir=$(cd -P -- "$(dirname -- "$p")" && pwd) || return 1
        link=$(readlink -- "$p") || return 1
        [[ $link == /* ]] && p=$link || p=$dir/$link
    done
    dir=$(cd -P -- "$(dirname -- "$p")" && pwd) || return 1
    printf '%s/%s\n' "$dir" "$(basename -- "$p")"
}

# Checks the Java home $1. Succeeds, printing its version, if it is a JDK >= SOMA_MIN_JAVA; otherwise
# fails, printing why not (for the report when nothing is found).
_soma_check_jdk() {
    local home=$1 v
    if ! v=$(_soma_java_version "$home"); then
        printf 'no Java there\n'
        return 1
    fi
    if (( $(_soma_java_major "$v") < SOMA_MIN_JAVA )); then
        printf 'Java %s\n' "$v"
        return 1
    fi
    if [[ ! -x $home/bin/javac ]]; then
        printf 'Java %s JRE, no bin/javac\n' "$v"
        return 1
    fi
    printf '%s\n' "$v"
}

# shellcheck disable=SC2034 # SOMA_JAVA_HOME and SOMA_JAVA_VERSION are this function's outputs.
soma_find_jdk() {
    local v java_bin real home dirs d cand best seen
    local -a report=() found=() candidates=()
    local IFS=$' \t\n'
    SOMA_JAVA_HOME=''
    SOMA_JAVA_VERSION=''

    # 1. JAVA_HOME
    if [[ -n ${JAVA_HOME:-} ]]; then
        if v=$(_soma_check_jdk "${JAVA_HOME%/}"); then
            SOMA_JAVA_HOME=${JAVA_HOME%/}
            SOMA_JAVA_VERSION=$v
            return 0
        fi
        report+=("JAVA_HOME=$JAVA_HOME: $v")
    else
        report+=("JAVA_HOME: not set")
    fi

    # 2. java on PATH
    if java_bin=$(command -v java 2> /dev/null) && [[ -n $java_bin ]]; then
        home='' v=''
        if real=$(_soma_realpath "$java_bin") && [[ $real == */bin/java ]]; then
            home=${real%/bin/java}
        fi
        if [[ -z $home || ! -x $home/bin/java ]]; then
            # Not a JDK layout (e.g. macOS's /usr/bin/java stub): ask the JVM where it lives.
            home=$("$java_bin" -XshowSettings:properties -version 2>&1 < /dev/null \
                   | sed -n '/^ *java\.home = /{s///p;q;}') || home=''
        fi
        if [[ -n $home ]] && v=$(_soma_check_jdk "$home"); then
            SOMA_JAVA_HOME=$home
            SOMA_JAVA_VERSION=$v
            return 0
        fi
        report+=("java on PATH: $java_bin${home:+ (home $home)}: ${v:-no Java home found}")
    else
        report+=("java on PATH: none")
    fi

    # 3. the newest JDK 25+ in the usual install directories
    if [[ -n ${SOMA_JVM_DIRS+set} ]]; then
        dirs=$SOMA_JVM_DIRS
    else
        dirs="/usr/lib/jvm:/usr/local/lib/jvm:${HOME:-/nonexistent}/.sdkman/candidates/java"
        dirs+=":${HOME:-/nonexistent}/.jdks:/Library/Java/JavaVirtualMachines"
    fi
    IFS=':'
    # shellcheck disable=SC2206 # splitting on ':' is the point; JDK directories have no globs.
    local -a dir_list=($dirs)
    IFS=$' \t\n'
    for d in "${dir_list[@]}"; do
        [[ -n $d ]] || continue
        if [[ ! -d $d ]]; then
            continue
        fi
        seen=''
        for cand in "$d"/*; do
            [[ -d $cand ]] || continue
            [[ -x $cand/Contents/Home/bin/java ]] && cand=$cand/Contents/Home  # macOS bundle
            if v=$(_soma_check_jdk "$cand"); then
                candidates+=("$v"$'\t'"$cand")
            else
                seen+="${seen:+, }${cand##*/} ($v)"
            fi
        done
        found+=("$d: ${seen:-no JDKs}")
    done
    if (( ${#candidates[@]} > 0 )); then
        # Newest version wins: `sort -V` orders 25 < 25.0.2 < 25.0.10 < 26.
        best=$(printf '%s\n' "${candidates[@]}" | sort -t $'\t' -k1,1V | tail -n 1)
        SOMA_JAVA_VERSION=${best%%$'\t'*}
        SOMA_JAVA_HOME=${best#*$'\t'}
        return 0
    fi
    if (( ${#found[@]} > 0 )); then
        report+=("${found[@]}")
    else
        report+=("searched (none exist): ${dirs//:/, }")
    fi

    local who=${0##*/} line
    {
        printf '%s: Soma needs a JDK %s or newer (for the Vector API and FFM), and none was found.\n' \
            "$who" "$SOMA_MIN_JAVA"
        printf 'Looked at:\n'
        for line in "${report[@]}"; do
            printf '  - %s\n' "$line"
        done
        cat << EOF
To get one, any of:
  - download Temurin $SOMA_MIN_JAVA from https://adoptium.net/temurin/releases/?version=$SOMA_MIN_JAVA
  - on Debian/Ubuntu, add Adoptium's apt repository (https://adoptium.net/installation/linux/),
    then: sudo apt-get install temurin-$SOMA_MIN_JAVA-jdk
  - with SDKMAN!: sdk install java $SOMA_MIN_JAVA-tem
If it is installed somewhere else, point JAVA_HOME at it: export JAVA_HOME=/path/to/jdk-$SOMA_MIN_JAVA
EOF
    } >&2
    return 1
}
