# SPDX-License-Identifier: MIT
# Outputs that cannot be created: exit 1, one error line naming the path. CI runs as root, so
# the directories are made uncreatable by a regular file in the way, not by permissions.
. "$(dirname "$0")/lib.sh"

gen tone mix.wav 48000 2 4800 wav16
gen ir a.wav 48000 2 100 1
gen ir b.wav 48000 1 30 2

# -o below a regular file.
: >afile
run render mix.wav -p a.wav,b.wav -o afile/out
expect_rc 1 "-o below a regular file"
# The line may name afile/out or afile, the part in the way.
expect_one_error_naming afile "-o below a regular file"
if [ ! -f afile ] || [ -s afile ]; then
    fail "-o below a regular file: afile was changed"
fi

# DIR exists but DIR/<input> is a regular file: this input fails, the next one renders.
gen tone mix2.wav 48000 2 4800 wav16
mkdir out2
: >out2/mix
run render mix.wav mix2.wav -p a.wav,b.wav -o out2
expect_rc 1 "DIR/<input> is a regular file"
expect_one_error_naming out2/mix "DIR/<input> is a regular file"
expect_info out2/mix2/a.wav "frames=4800 channels=2 rate=48000 major=wav subtype=pcm16" \
    "DIR/<input> is a regular file: the other input"
expect_info out2/mix2/b.wav "frames=4800 channels=2 rate=48000 major=wav subtype=pcm16" \
    "DIR/<input> is a regular file: the other input"
expect_no_part out2 "DIR/<input> is a regular file"

# The final output path is a directory: that output fails, the other profile completes.
mkdir -p out3/mix/b.wav
run render mix.wav -p a.wav,b.wav -o out3
expect_rc 1 "DIR/<input>/<profile>.wav is a directory"
expect_one_error_naming out3/mix/b.wav "DIR/<input>/<profile>.wav is a directory"
expect_info out3/mix/a.wav "frames=4800 channels=2 rate=48000 major=wav subtype=pcm16" \
    "DIR/<input>/<profile>.wav is a directory: the other profile"
expect_no_part out3 "DIR/<input>/<profile>.wav is a directory"

finish
