// `convscope lesson LESSON.json|lecture --export DIR [--lang en|ko] [--gif] [--size WxH]`: one PNG per scene
// (and a GIF per stepper scene with --gif), numbered 01-stepper.png, 02-size.png, …, for slides and handouts.
// Each scene is drawn by the app itself, presented, in a window of its own: it needs an X display (xvfb-run
// on a machine without one). A broken scene exits 2 naming its number, before anything is written.
#pragma once

namespace convscope::ui {

// True when argv is `convscope lesson …`.
bool is_lesson_command(int argc, char** argv);
// Runs it; returns the exit status.
int run_lesson_command(int argc, char** argv);

}  // namespace convscope::ui
