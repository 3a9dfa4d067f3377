// Every user-visible string of the GUI, in English and Korean, in one table. A view writes `tr(Str::play)`;
// to add a string, add one X(...) line below (id, English, Korean). Strings with `{}` are fmt formats
// (`{:.1f}` for a precision, `{{` for a brace): write `trf(Str::msg_saved, path)`, and the compiler checks
// the arguments against both languages' placeholders (as `fail<ErrCode>` does for core's errors). No ImGui
// here, so a test can check that the bundled fonts hold every glyph these strings use.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "core/support/error_codes.hpp"
#include "core/support/placeholders.hpp"
#include "core/support/result.hpp"
#include "core/support/text_table.hpp"

namespace convscope {
struct AxisSpec;
struct MacToken;
}  // namespace convscope

namespace convscope::ui {

enum class Lang { En, Ko };

// clang-format off
#define CONVSCOPE_STRINGS(X) \
    X(app_title,        "ConvScope", "ConvScope") \
    X(menu_file,        "File", "파일") \
    X(menu_view,        "View", "보기") \
    X(export_png,       "Save frame as PNG…", "현재 화면을 PNG로 저장…") \
    X(export_gif,       "Save animation as GIF…", "애니메이션을 GIF로 저장…") \
    X(quit,             "Quit", "종료") \
    X(language,         "Language", "언어") \
    X(lang_en,          "English", "English") \
    X(lang_ko,          "한국어", "한국어") \
    X(theme,            "Theme", "테마") \
    X(theme_light,      "Light", "밝게") \
    X(theme_dark,       "Dark", "어둡게") \
    X(ui_scale,         "UI scale", "화면 배율") \
    X(scale_up,         "Larger", "크게") \
    X(scale_down,       "Smaller", "작게") \
    X(view_stepper,     "Stepper", "단계별 계산") \
    X(view_size,        "Output size", "출력 크기") \
    X(msg_font_missing, "Font {} is missing or unreadable; using the built-in font (no Korean).", "글꼴 {}이(가) 없거나 읽을 수 없어 기본 글꼴을 씁니다 (한국어 없음).") \
    X(msg_settings_fail,"Settings not saved: {}", "설정을 저장하지 못했습니다: {}") \
    X(msg_saved,        "Saved {}", "{} 저장됨") \
    X(msg_save_fail,    "Could not save {}", "{}을(를) 저장하지 못했습니다") \
    X(msg_image,        "Image: {}", "이미지: {}") \
    X(msg_recording,    "Recording GIF: window {} of {} (Escape cancels) into {}", "GIF 녹화 중: 창 {} / {} (Escape로 취소), 저장 위치 {}") \
    X(msg_gif_cancelled,"GIF cancelled; {} was not written", "GIF 취소됨; {}은(는) 저장되지 않았습니다") \
    X(gif_long_title,   "A long animation", "긴 애니메이션") \
    X(gif_long,         "This GIF has {} frames (about {} MB; more than {} frames is long for a slide). Record it?", "이 GIF는 {}프레임입니다 (약 {} MB; 슬라이드에는 {}프레임이 넘으면 깁니다). 녹화할까요?") \
    X(record,           "Record", "녹화") \
    X(op,               "Operation", "연산") \
    X(op_conv,          "Convolution", "합성곱") \
    X(op_max,           "Max pooling", "최대 풀링") \
    X(op_avg,           "Average pooling", "평균 풀링") \
    X(preset,           "Example", "예제") \
    X(preset_lecture,   "Lecture example", "강의 예제") \
    X(preset_lecture_padding, "Lecture example, padding 1", "강의 예제, 패딩 1") \
    X(preset_stride2,   "Lecture example, stride 2", "강의 예제, 스트라이드 2") \
    X(preset_floor,     "Stride 2 on 6×6: the floor", "6×6에 스트라이드 2: 내림") \
    X(preset_edge,      "Edge detector", "경계 검출") \
    X(preset_blur,      "Blur", "흐리기") \
    X(preset_sharpen,   "Sharpen", "선명하게") \
    X(preset_rgb_bias,  "3 channels, 2 outputs, bias", "3채널, 출력 2개, 편향") \
    X(preset_max_pool,  "Max pooling 2×2", "최대 풀링 2×2") \
    X(preset_avg_pool,  "Average pooling 2×2", "평균 풀링 2×2") \
    X(preset_custom,    "Your own", "직접 만든 예제") \
    X(randomize,        "Random values", "무작위 값") \
    X(input_hw,         "Input H, W", "입력 H, W") \
    X(kernel_hw,        "Kernel H, W", "커널 H, W") \
    X(stride,           "Stride H, W", "스트라이드 H, W") \
    X(padding,          "Padding H, W", "패딩 H, W") \
    X(dilation,         "Dilation H, W", "팽창 H, W") \
    X(padding_kind,     "Padding", "패딩") \
    X(padding_numbers,  "by amount", "크기 지정") \
    X(padding_mode,     "Padding fills with", "패딩 값") \
    X(in_channels,      "Input channels", "입력 채널") \
    X(out_channels,     "Output channels", "출력 채널") \
    X(bias,             "Bias", "편향") \
    X(ceil_mode,        "ceil_mode (round up)", "ceil_mode (올림)") \
    X(count_include_pad,"count_include_pad", "count_include_pad") \
    X(play,             "Play", "재생") \
    X(pause,            "Pause", "정지") \
    X(by_term,          "Term by term", "항 하나씩") \
    X(speed,            "Speed", "속도") \
    X(steps_per_s,      "{:.1f} steps/s", "초당 {:.1f}단계") \
    X(window_n,         "Window {} of {}", "창 {} / {}") \
    X(before_start,     "Start", "시작") \
    X(label_input,      "Input", "입력") \
    X(label_input_c,    "Input ch {}", "입력 채널 {}") \
    X(label_kernel,     "Kernel", "커널") \
    X(label_kernel_oc,  "Kernel {} ch {}", "커널 {} 채널 {}") \
    X(label_output,     "Output", "출력") \
    X(label_output_c,   "Output ch {}", "출력 채널 {}") \
    X(label_pool,       "Window {}×{}", "창 {}×{}") \
    X(legend_padding,   "padding", "패딩") \
    X(legend_window,    "current window", "현재 창") \
    X(legend_unreached, "no window reaches", "창이 닿지 않음") \
    X(legend_chosen,    "the maximum", "최댓값") \
    X(channel_n,        "channel {}:", "채널 {}:") \
    X(mac_formula,      "out = bias + Σ weight ⋆ input, channel by channel:", "출력 = 편향 + Σ 가중치 ⋆ 입력, 채널마다:") \
    X(bias_word,        "bias", "편향") \
    X(floor_note,       "{}: {} → {}, the windows stop early, so {} never enters a window (shaded).", "{}: {} → {}, 창이 끝까지 가지 못해 {}이 어떤 창에도 들어가지 않습니다 (음영).") \
    X(rows_1,           "the last row", "마지막 행") \
    X(rows_n,           "the last {} rows", "마지막 {}개 행") \
    X(cols_1,           "the last column", "마지막 열") \
    X(cols_n,           "the last {} columns", "마지막 {}개 열") \
    X(ceil_note,        " − 1 (the last window would start in the padding)", " − 1 (마지막 창이 패딩에서 시작하므로)") \
    X(hint_start,       "Press → to place the filter on the first window.", "→ 키를 누르면 필터가 첫 번째 창에 놓입니다.") \
    X(hint_keys,        "→ or PageDown next step   ← or PageUp back   Space play   F5 present   F1 all keys   click an output to jump   click a number to change it", "→ 또는 PageDown 다음 단계   ← 또는 PageUp 이전   Space 재생   F5 발표 모드   F1 모든 키   출력 칸을 누르면 이동   숫자를 누르면 바꾸기") \
    X(jump_to,          "Go to window {} (Enter)", "창 {}(으)로 이동 (Enter)") \
    X(present,          "Present", "발표 모드") \
    X(scale_limited,    "{}× leaves no room in a window this short; it comes back in a taller one", "{}×는 이 창 높이에서 공간이 부족합니다; 더 높은 창에서 다시 적용됩니다") \
    X(fullscreen,       "Full screen", "전체 화면") \
    X(key_help,         "Keys", "키 안내") \
    X(help_title,       "Keys (F1 or ? closes this)", "키 안내 (F1 또는 ?로 닫기)") \
    X(help_next,        "next step (a term at a time when \"Term by term\" is on; Shift: the other way)", "다음 단계 (\"항 하나씩\"이 켜져 있으면 항 하나씩; Shift는 반대로)") \
    X(help_prev,        "previous step", "이전 단계") \
    X(help_play,        "play / pause", "재생 / 정지") \
    X(help_ends,        "before the first window / the last window", "첫 창 앞 / 마지막 창") \
    X(key_digits,       "digits, then Enter", "숫자 다음 Enter") \
    X(help_jump,        "go to that window", "그 창으로 이동") \
    X(help_black,       "black screen; the same key (or a step key) comes back", "검은 화면; 같은 키(또는 단계 키)로 돌아옴") \
    X(help_white,       "white screen; the same key (or a step key) comes back", "흰 화면; 같은 키(또는 단계 키)로 돌아옴") \
    X(help_present,     "presentation mode: only the grids, full screen (Escape leaves)", "발표 모드: 격자만 전체 화면으로 (Escape로 나가기)") \
    X(help_full,        "full screen", "전체 화면") \
    X(help_views,       "switch views", "보기 바꾸기") \
    X(help_scale,       "UI scale (menus and panels; the grids fill the space they have)", "화면 배율 (메뉴와 패널; 격자는 남은 공간을 채움)") \
    X(help_nav,         "Tab, then the arrows and Space: reach every control; Escape: back to stepping", "Tab 다음 화살표와 Space: 모든 컨트롤로 이동; Escape: 단계 이동으로") \
    X(help_help,        "this list", "이 목록") \
    X(error_title,      "These settings do not work:", "이 설정으로는 계산할 수 없습니다:") \
    X(edit_cell,        "New value, then Enter", "새 값을 넣고 Enter") \
    X(controls,         "Settings", "설정") \
    X(view_image,       "Image lab", "이미지 실험실") \
    X(img_image,        "Image", "이미지") \
    X(img_samples,      "Sample photos", "예제 사진") \
    X(img_open,         "Open a file…", "파일 열기…") \
    X(img_drop_hint,    "Or drop an image file on the window.", "또는 이미지 파일을 창에 끌어다 놓으세요.") \
    X(img_loading,      "Loading {}…", "{} 불러오는 중…") \
    X(img_info_grey,    "{}: {}×{}, grey", "{}: {}×{}, 흑백") \
    X(img_info_colour,  "{}: {}×{}, colour", "{}: {}×{}, 컬러") \
    X(img_load_fail,    "Could not open that image:", "이미지를 열 수 없습니다:") \
    X(img_no_image,     "No image yet: pick a sample photo, open a file, or drop one on the window.", "아직 이미지가 없습니다. 예제 사진을 고르거나, 파일을 열거나, 창에 끌어다 놓으세요.") \
    X(img_preset,       "Preset", "프리셋") \
    X(img_custom,       "Custom", "직접 입력") \
    X(img_size,         "Size", "크기") \
    X(img_sigma,        "σ (spread)", "σ (퍼짐)") \
    X(img_edit,         "Edit the weights", "가중치 편집") \
    X(img_rows_cols,    "Rows, columns", "행, 열") \
    X(img_divisor,      "Divide by", "나누는 수") \
    X(img_offset,       "Offset (bias)", "오프셋 (편향)") \
    X(img_normalize,    "Normalize to sum 1", "합이 1이 되게 정규화") \
    X(img_kernel_file,  "Kernel file", "커널 파일") \
    X(img_load,         "Load", "불러오기") \
    X(img_save,         "Save", "저장") \
    X(img_pool_window,  "Window H, W", "창 H, W") \
    X(img_stride_is_window, "Stride = window", "스트라이드 = 창") \
    X(img_colour,       "Colour", "색") \
    X(img_grey,         "Grey (luminance)", "흑백 (밝기)") \
    X(img_rgb,          "Colour (groups = 3)", "컬러 (groups = 3)") \
    X(img_map,          "Values to pixels", "값을 픽셀로") \
    X(img_map_clamp,    "Clamp to 0–255", "0–255로 자르기") \
    X(img_map_abs,      "Absolute value", "절댓값") \
    X(img_map_normalize,"Min–max normalize", "최소–최대 정규화") \
    X(img_backend,      "Backend", "백엔드") \
    X(img_fastest,      "fastest available", "가장 빠른 것") \
    X(img_time,         "{}: {:.1f} ms", "{}: {:.1f} ms") \
    X(img_computing,    "Computing… {:.1f} s", "계산 중… {:.1f}초") \
    X(img_flip,         "True convolution", "진짜 합성곱") \
    X(img_flip_caption, "PyTorch and TensorFlow compute cross-correlation: the kernel as written. scipy.signal.convolve2d and signal processing compute true convolution: the kernel rotated 180°.", "PyTorch와 TensorFlow는 교차 상관을 계산합니다: 적힌 그대로의 커널. scipy.signal.convolve2d와 신호 처리는 진짜 합성곱을 계산합니다: 180° 회전한 커널.") \
    X(img_flip_applied, "Applied (rotated 180°)", "적용되는 커널 (180° 회전)") \
    X(img_preview,      "Preview: the full result follows", "미리 보기: 전체 결과가 곧 나옵니다") \
    X(img_true_size,    "True pixel size", "실제 픽셀 크기") \
    X(img_true_size_tip,"One output pixel is drawn as large as one input pixel, so stride 2 halves the picture.", "출력 픽셀 하나를 입력 픽셀 하나와 같은 크기로 그립니다. 스트라이드가 2면 그림이 절반이 됩니다.") \
    X(img_fit,          "Fit", "맞춤") \
    X(img_zoom,         "Zoom {:.0f}%", "확대 {:.0f}%") \
    X(img_save_png,     "Save output as PNG", "출력을 PNG로 저장") \
    X(img_explain,      "Explain this pixel", "이 픽셀 설명") \
    X(img_explain_hint, "Hover over the output to see how a pixel is made; click to keep it, right-click to let go.", "출력 위에 마우스를 올리면 픽셀이 어떻게 계산되는지 보입니다. 클릭하면 고정되고, 오른쪽 클릭하면 풀립니다.") \
    X(img_pixel,        "Output pixel: row {}, column {}", "출력 픽셀: {}행, {}열") \
    X(img_pixel_short,  "Pixel ({}, {})", "픽셀 ({}, {})") \
    X(img_channel,      "Channel", "채널") \
    X(img_in_window,    "Input under the window", "창 아래 입력값") \
    X(img_weights,      "Weights", "가중치") \
    X(img_shown_as,     "shown as {} ({})", "화면 값 {} ({})") \
    X(img_shown_as_short, "shown as {}", "화면 값 {}") \
    X(img_open_stepper, "Open in stepper", "단계별 계산에서 열기") \
    X(net_open_image, "Open in image lab", "이미지 실험실에서 열기") \
    X(img_input_at,     "Input row {}, column {}: {}", "입력 {}행, {}열: {}") \
    X(img_unpin,        "Unpin", "고정 해제") \
    X(img_recent,       "Recent files", "최근 파일") \
    X(img_up,           "Up", "위로") \
    X(img_cancel,       "Cancel", "취소") \
    X(img_open_button,  "Open", "열기") \
    X(img_path,         "Path", "경로") \
    X(img_open_title,   "Open an image", "이미지 열기") \
    X(img_k_identity,   "Identity", "항등") \
    X(img_k_box,        "Box blur", "상자 흐림") \
    X(img_k_gaussian,   "Gaussian blur", "가우시안 흐림") \
    X(img_k_sharpen,    "Sharpen", "선명하게") \
    X(img_k_laplacian,  "Laplacian", "라플라시안") \
    X(img_k_log,        "Laplacian of Gaussian", "가우시안의 라플라시안") \
    X(img_k_sobel_x,    "Sobel x", "소벨 x") \
    X(img_k_sobel_y,    "Sobel y", "소벨 y") \
    X(img_k_scharr_x,   "Scharr x", "샤르 x") \
    X(img_k_scharr_y,   "Scharr y", "샤르 y") \
    X(img_k_prewitt_x,  "Prewitt x", "프리윗 x") \
    X(img_k_prewitt_y,  "Prewitt y", "프리윗 y") \
    X(img_k_emboss,     "Emboss", "엠보스") \
    X(img_k_outline,    "Outline", "윤곽선") \
    X(img_k_motion_blur,"Motion blur", "모션 블러") \
    X(size_practice,    "Practice: the lecture's exercises", "연습: 강의 문제") \
    X(size_free,        "Calculator", "계산기") \
    X(exercise_n,       "Exercise {} of {}", "문제 {} / {}") \
    X(exercise_prompt,  "Input {}, kernel {}, stride {}, padding {}. What is the output size?", "입력 {}, 커널 {}, 스트라이드 {}, 패딩 {}. 출력 크기는?") \
    X(answer,           "Your answer", "답") \
    X(answer_hint,      "e.g. 55 or 28×60", "예: 55 또는 28×60") \
    X(check,            "Check", "확인") \
    X(correct,          "Correct!", "정답입니다!") \
    X(wrong,            "Not quite. The output is {}.", "아쉽습니다. 출력은 {}입니다.") \
    X(unreadable,       "Type a number, or H×W.", "숫자나 H×W 형태로 입력하세요.") \
    X(worked,           "Worked formula", "풀이") \
    X(next,             "Next", "다음") \
    X(previous,         "Previous", "이전") \
    X(exact_value,      "Before the floor: {}", "내림 전 값: {}") \
    X(output_shape,     "Output {}", "출력 {}") \
    X(view_network,     "Network", "신경망") \
    X(net_input_shape,  "Input shape", "입력 모양") \
    X(net_layers,       "Layers", "층") \
    X(net_add,          "Add a layer", "층 추가") \
    X(net_lecture,      "Lecture stack", "강의의 신경망") \
    X(net_move_up,      "Move up", "위로") \
    X(net_move_down,    "Move down", "아래로") \
    X(net_remove,       "Remove", "삭제") \
    X(net_no_layers,    "No layers yet: add one, or paste PyTorch code.", "층이 없습니다: 층을 추가하거나 PyTorch 코드를 붙여 넣으세요.") \
    X(net_selected,     "Layer {}: {}", "{}번 층: {}") \
    X(net_relu_note,    "ReLU has no settings: it turns every negative value into 0.", "ReLU는 설정이 없습니다: 음수를 모두 0으로 바꿉니다.") \
    X(net_stride_none,  "stride=None (the kernel size)", "stride=None (커널 크기와 같음)") \
    X(net_kernels,      "Kernel of each output channel", "출력 채널별 커널") \
    X(net_channel_n,    "channel {}", "채널 {}") \
    X(net_channel_kernel, "channel {}: {}", "채널 {}: {}") \
    X(net_random,       "Random (seeded)", "무작위 (시드 고정)") \
    X(net_col_layer,    "Layer", "층") \
    X(net_col_shape,    "Output shape", "출력 모양") \
    X(net_col_params,   "Params", "매개변수") \
    X(net_col_macs,     "Mult-adds", "곱셈-누산") \
    X(net_total,        "Total", "합계") \
    X(net_refused,      "PyTorch refuses this layer: {}", "PyTorch가 이 층을 거부합니다: {}") \
    X(net_assumed,      "Worked out as if the marked layer above were fixed.", "위의 표시된 층이 고쳐졌다고 가정하고 계산했습니다.") \
    X(net_unknown,      "unknown: an earlier layer fails", "알 수 없음: 앞의 층이 실패함") \
    X(net_tab_maps,     "Feature maps", "특징 맵") \
    X(net_tab_code,     "PyTorch code", "PyTorch 코드") \
    X(net_draw_hint,    "Draw: left button paints, right button erases.", "그리기: 왼쪽 버튼은 칠하고 오른쪽 버튼은 지웁니다.") \
    X(net_clear,        "Clear", "지우기") \
    X(net_digit,        "Sample digit", "예시 숫자") \
    X(net_source_drawing, "Drawing", "그림") \
    X(net_source_photo, "Photo", "사진") \
    X(net_seed,         "Seed", "시드") \
    X(net_new_weights,  "New weights", "새 가중치") \
    X(net_computing,    "Computing…", "계산 중…") \
    X(net_timing,       "Computed on the {} backend in {:.1f} ms, off the UI thread.", "{} 백엔드로 {:.1f} ms 만에 계산 (UI 스레드 밖에서).") \
    X(net_too_large,    "Too large to run here ({} values, {} mult-adds): make the input smaller.", "여기서 실행하기에는 너무 큽니다 (값 {}개, 곱셈-누산 {}회): 입력을 줄이세요.") \
    X(net_fix_first,    "Fix the marked layer to see the feature maps.", "표시된 층을 고치면 특징 맵이 보입니다.") \
    X(net_more_channels,"+{} more", "+{}개 더") \
    X(net_tile_info,    "{}, channel {}: {}×{}", "{}, 채널 {}: {}×{}") \
    X(net_vector_info,  "{}: {} values", "{}: 값 {}개") \
    X(net_range,        "min {}, max {}", "최소 {}, 최대 {}") \
    X(net_click_tile,   "Click a map to see it large, with its values.", "맵을 누르면 크게 보이고 값도 볼 수 있습니다.") \
    X(net_copy,         "Copy", "복사") \
    X(net_copied,       "Copied the code to the clipboard", "코드를 클립보드에 복사했습니다") \
    X(net_paste_title,  "Paste PyTorch code to build a stack", "PyTorch 코드를 붙여 넣어 신경망 만들기") \
    X(net_paste_clip,   "Paste from clipboard", "클립보드에서 붙여 넣기") \
    X(net_build,        "Build the stack", "신경망 만들기") \
    X(net_built,        "Built {} layers from the code", "코드로 층 {}개를 만들었습니다") \
    X(net_code_error,   "The code could not be read: {}", "코드를 읽을 수 없습니다: {}") \
    X(net_photo_error,  "Photo not loaded: {}", "사진을 불러오지 못했습니다: {}") \
    X(lesson_scene_of,  "Scene {} of {}", "장면 {} / {}") \
    X(lesson_prev,      "◀ Previous scene", "◀ 이전 장면") \
    X(lesson_next,      "Next scene ▶", "다음 장면 ▶") \
    X(scene_number,     "scene {}: ", "장면 {}: ") \
    X(scene_the_file,   "the file", "파일") \
    X(scene_err_read,   "{} cannot be read: {}", "{}: 읽을 수 없습니다: {}") \
    X(scene_err_json,   "{} is not valid JSON: {}", "{}: 올바른 JSON이 아닙니다: {}") \
    X(scene_err_kind,   "{} must be \"scene\" or \"lesson\"", "{}: \"scene\" 또는 \"lesson\"이어야 합니다") \
    X(scene_err_version, "{} must be 1", "{}: 1이어야 합니다") \
    X(scene_err_missing, "{} is missing", "{}: 빠져 있습니다") \
    X(scene_err_type,   "{} must be {}", "{}: 형식이 맞지 않습니다 ({})") \
    X(scene_err_range,  "{} must be {}", "{}: 범위를 벗어났습니다 ({})") \
    X(scene_err_choice, "{} must be one of {}", "{}: 다음 중 하나여야 합니다: {}") \
    X(scene_err_problem, "{} does not make a problem: {}", "{}: 계산할 수 없는 문제입니다: {}") \
    X(scene_err_unsupported, "{} is not supported yet: {}", "{}: 아직 지원하지 않습니다: {}") \
    X(scene_refused,    "Not opened: {}", "열지 않았습니다: {}") \
    X(scene_opened,     "Opened {}", "열었습니다: {}") \
    X(scene_no_view,    "This scene's view cannot show scenes yet", "이 장면의 보기는 아직 장면을 보여 줄 수 없습니다") \
    X(file_new,         "New lesson from this view", "이 화면으로 새 수업") \
    X(file_open,        "Open…", "열기…") \
    X(file_save,        "Save", "저장") \
    X(file_save_as,     "Save as…", "다른 이름으로 저장…") \
    X(file_recent,      "Recent", "최근 파일") \
    X(file_about,       "About ConvScope", "ConvScope 정보") \
    X(file_path,        "File", "파일") \
    X(file_overwrite,   "{} exists. Replace it?", "{} 파일이 있습니다. 바꿀까요?") \
    X(file_saved,       "Saved {}", "저장했습니다: {}") \
    X(file_cancel,      "Cancel", "취소") \
    X(file_ok,          "OK", "확인") \
    X(file_replace,     "Replace", "바꾸기") \
    X(file_export_frame, "Export frame…", "현재 화면 내보내기…") \
    X(file_export_anim, "Export animation…", "애니메이션 내보내기…") \
    X(file_folder,      "Folder", "폴더") \
    X(file_name,        "File name", "파일 이름") \
    X(file_parent,      "↑ Parent folder", "↑ 상위 폴더") \
    X(file_save_button, "Save", "저장") \
    X(file_no_name,     "Type a file name.", "파일 이름을 입력하세요.") \
    X(file_not_folder,  "{} is not a folder that can be read.", "{}: 읽을 수 있는 폴더가 아닙니다.") \
    X(file_anim_stepper, "Only the stepper animates: its steps are recorded.", "애니메이션은 단계별 보기에만 있습니다: 그 단계를 기록합니다.") \
    X(file_exporting,   "Recording {}…", "기록하는 중: {}…") \
    X(about_libraries,  "Libraries and their licences", "사용한 라이브러리와 라이선스") \
    X(recheck_gpu,      "Re-check GPU", "GPU 다시 확인") \
    X(backend_probed,   "Fastest backend here: {}", "이 컴퓨터에서 가장 빠른 백엔드: {}") \
    X(quit_keys,        "S: save · D: discard · Esc: cancel", "S: 저장 · D: 버리기 · Esc: 취소") \
    X(menu_lesson,      "Lesson", "수업") \
    X(lesson_add,       "Add this view as a scene", "이 화면을 장면으로 추가") \
    X(lesson_delete,    "Delete this scene", "이 장면 삭제") \
    X(lesson_up,        "Move scene earlier", "장면을 앞으로") \
    X(lesson_down,      "Move scene later", "장면을 뒤로") \
    X(lesson_caption,   "Edit caption…", "설명 고치기…") \
    X(lesson_title,     "Title", "제목") \
    X(caption_en,       "Caption (English)", "설명 (영어)") \
    X(caption_ko,       "Caption (Korean)", "설명 (한국어)") \
    X(edit_undo,        "Undo", "실행 취소") \
    X(edit_redo,        "Redo", "다시 실행") \
    X(quit_unsaved,     "The lesson has unsaved changes.", "수업에 저장하지 않은 변경이 있습니다.") \
    X(quit_save,        "Save and quit", "저장하고 종료") \
    X(quit_discard,     "Quit without saving", "저장하지 않고 종료") \
    X(about_text,       "ConvScope {}: 2D convolution and pooling, step by step. Fonts: DejaVu Sans (Bitstream Vera licence), NanumGothic (SIL Open Font Licence 1.1); sample photos: see LICENSES.md.", "ConvScope {}: 2D 합성곱과 풀링을 한 단계씩. 글꼴: DejaVu Sans (Bitstream Vera 라이선스), 나눔고딕 (SIL Open Font License 1.1); 예제 사진: LICENSES.md 참고.") \
    X(size_not_yet,     "Not yet. {} Try again.", "아직 아닙니다. {} 다시 해 보세요.") \
    X(hint_swapped,     "H and W are swapped: H comes first.", "H와 W가 바뀌었습니다: H가 먼저입니다.") \
    X(hint_plus_one,    "Count the windows: don't forget the +1.", "창의 개수를 세어 보세요: +1을 잊지 마세요.") \
    X(hint_floor,       "The division is not whole: round down (the floor) before adding 1.", "나눗셈이 나누어떨어지지 않습니다: 1을 더하기 전에 내림하세요.") \
    X(hint_two_p,       "Padding goes on both sides: add 2p.", "패딩은 양쪽에 붙습니다: 2p를 더하세요.") \
    X(hint_stride,      "Divide by the stride before adding 1.", "1을 더하기 전에 스트라이드로 나누세요.") \
    X(hint_none,        "Check each step of ⌊(in − k + 2p) / s⌋ + 1.", "⌊(입력 − k + 2p) / s⌋ + 1을 한 단계씩 확인하세요.") \
    X(size_reveal,      "Show the answer", "답 보기") \
    X(size_answer_is,   "The answer is {}.", "답은 {}입니다.") \
    X(size_score,       "Score: {} of {} ({} at the first try)", "점수: {} / {} (첫 시도에 {}개)") \
    X(size_finish,      "Finish", "마치기") \
    X(size_again,       "Start again", "처음부터") \
    X(predict_toggle,   "Predict, then reveal", "예측한 뒤 공개") \
    X(predict_tip,      "Each new output shows ? until R or the next step, so the class can say it first.", "새 출력마다 R이나 다음 단계까지 ?로 보여, 학생들이 먼저 답할 수 있습니다.") \
    X(help_reveal,      "reveal the hidden value (predict, then reveal)", "숨긴 값 공개 (예측한 뒤 공개)") \
    X(net_col_rf,       "RF", "수용 영역") \
    X(net_col_jump,     "Jump", "점프") \
    X(net_col_start,    "Start", "시작") \
    X(net_rf_tip,       "Receptive field: how many input pixels (per side) one output element sees; jump: input pixels between neighbouring outputs; start: where the first output's field is centred. \"--\" after a layer that mixes positions.", "수용 영역: 출력 원소 하나가 보는 입력 픽셀 수(한 변); 점프: 이웃한 출력 사이의 입력 픽셀 수; 시작: 첫 출력의 수용 영역 중심 위치. 위치를 섞는 층 뒤에는 \"--\".") \
    X(net_trainable,    "Trainable params: {} · non-trainable: {} · buffers (BatchNorm's running statistics): {}", "학습 파라미터: {} · 학습 안 함: {} · 버퍼 (BatchNorm의 이동 통계): {}") \
    X(net_sizes,        "Input {:.2f} MB · forward/backward pass {:.2f} MB · params {:.2f} MB · estimated total {:.2f} MB (as torchinfo)", "입력 {:.2f} MB · 순전파/역전파 {:.2f} MB · 파라미터 {:.2f} MB · 추정 합계 {:.2f} MB (torchinfo 방식)") \
    X(net_stacks,       "Example networks", "예제 신경망") \
    X(net_stack_lecture,"The lecture's CNN", "강의의 CNN") \
    X(net_stack_lenet5, "LeNet-5", "LeNet-5") \
    X(net_stack_alexnet,"AlexNet (torchvision)", "AlexNet (torchvision)") \
    X(net_stack_vgg_bn, "VGG block with BatchNorm", "BatchNorm이 있는 VGG 블록") \
    X(net_stack_mobilenet, "MobileNetV2 block", "MobileNetV2 블록") \
    X(net_stack_dcgan,  "DCGAN generator", "DCGAN 생성기") \
    X(net_loaded,       "Loaded {}; Ctrl+Z brings back the stack before", "{}을(를) 불러왔습니다. Ctrl+Z로 이전 신경망을 되돌립니다") \
    X(net_undo,         "Undo", "되돌리기") \
    X(net_undone,       "Brought back the stack before", "이전 신경망을 되돌렸습니다") \
    X(net_skipped,      "Lines that are not layers (skipped): {}", "층이 아닌 줄 (건너뜀): {}개") \
    X(net_notes,        "What the import read or assumed:", "가져오면서 읽거나 가정한 것:") \
    X(net_as_code,      "As code (Enter applies)", "코드로 (Enter로 적용)") \
    X(net_rf_title,     "Receptive field of ({}, {}) in {}, lit on the input and every earlier map: the darker, the more paths reach a pixel (up to {}).", "({}, {}) 원소 ({})의 수용 영역을 입력과 앞의 모든 맵에 표시합니다: 진할수록 그 픽셀에 닿는 경로가 많습니다 (최대 {}).") \
    X(net_rf_hint,      "Click a cell of the large map to light its receptive field.", "큰 맵의 칸을 누르면 그 수용 영역이 표시됩니다.") \
    X(net_rf_none,      "No receptive field to show: {}", "표시할 수용 영역이 없습니다: {}") \
    X(preset_rgb_7x5,   "3 channels, 7×5 kernel", "3채널, 7×5 커널") \
    X(preset_max_pool_ceil, "Max pooling 2×2, ceil_mode", "최대 풀링 2×2, ceil_mode") \
    X(preset_diagonal16, "A diagonal line, 16×16 (196 windows)", "대각선, 16×16 (창 196개)") \
    X(op_conv_transpose, "Transposed convolution", "전치 합성곱") \
    X(tr_mode,          "Show it as", "보기 방식") \
    X(tr_scatter,       "Scatter (stamps)", "흩뿌리기 (도장)") \
    X(tr_gather,        "Gather (as a convolution)", "모으기 (합성곱으로)") \
    X(tr_out_channels,  "Output channels per group", "그룹당 출력 채널") \
    X(tr_output_padding, "Output padding H, W (bottom/right)", "출력 패딩 H, W (아래/오른쪽)") \
    X(tr_input_stuffed, "Input with s − 1 zeros between cells, d(k − 1) − p = {} around", "입력: 칸 사이에 0을 s − 1개, 둘레에 d(k − 1) − p = {}") \
    X(tr_kernel_rotated, "Kernel rotated 180°", "180° 회전한 커널") \
    X(tr_output_partial, "Output (running sums)", "출력 (누적 합)") \
    X(tr_overlap_legend, "shade: products landing on a cell (×n)", "음영: 한 칸에 더해지는 곱의 수 (×n)") \
    X(tr_inserted_zero, "inserted zero", "삽입된 0") \
    X(tr_stamped,       "cells this stamp reaches", "이번 도장이 닿는 칸") \
    X(tr_stamp_line,    "Input ({}, {}) = {} stamps {} × kernel onto {} output cells", "입력 ({}, {}) = {}: {} × 커널을 출력 {}칸에 찍습니다") \
    X(tr_stamp_none,    "Input ({}, {}) = {}: every product falls outside the output (cropped by the padding)", "입력 ({}, {}) = {}: 모든 곱이 출력 밖에 떨어집니다 (패딩이 잘라 냄)") \
    X(tr_start_scatter, "Press → to stamp the first input cell.", "→를 누르면 첫 입력 칸을 찍습니다.") \
    X(tr_stamp_n,       "Stamp {} of {}", "도장 {} / {}") \
    X(tr_roundtrip,     "Conv2d with the same kernel, stride, padding and dilation maps {} back to {}.", "같은 커널·스트라이드·패딩·팽창의 Conv2d는 {}을(를) 다시 {}(으)로 보냅니다.") \
    X(tr_roundtrip_many, "That Conv2d maps every size from {} to {} onto {}: output_padding (0 to {}) picks which one ConvTranspose2d gives back.", "그 Conv2d는 {}부터 {}까지의 모든 크기를 {}(으)로 보냅니다: output_padding(0 ~ {})은 ConvTranspose2d가 그중 어느 크기를 돌려줄지 고릅니다.") \
    X(tr_roundtrip_one, "Only that size maps to {}, so output_padding stays 0.", "그 크기만 {}(으)로 가므로 output_padding은 0입니다.") \
    X(im2col_toggle,    "im2col: the convolution as a matrix product", "im2col: 행렬 곱으로 보는 합성곱") \
    X(im2col_cols,      "X_cols: {} rows (C·kH·kW) × {} columns (one per window)", "X_cols: {}행 (C·kH·kW) × {}열 (창마다 한 열)") \
    X(im2col_wrow,      "W_row: the kernel as a row", "W_row: 한 행으로 편 커널") \
    X(im2col_y,         "W_row × X_cols = Y (output ch {}, then reshaped to {}×{})", "W_row × X_cols = Y (출력 채널 {}, {}×{}로 다시 배열)") \
    X(im2col_more,      "columns {} to {} of {} shown", "{}~{}열 표시 (전체 {}열)") \
    X(im2col_column,    "the current window's column", "현재 창의 열") \
    X(flip_toggle,      "Flip the kernel (true convolution)", "커널 뒤집기 (진짜 합성곱)") \
    X(flip_on_caption,  "Flipped: the kernel rotated 180°, true convolution as signal processing (scipy.signal.convolve2d) computes it.", "뒤집음: 커널을 180° 돌린 진짜 합성곱, 신호 처리(scipy.signal.convolve2d)가 계산하는 방식입니다.") \
    X(flip_off_caption, "Not flipped: cross-correlation, what PyTorch's Conv2d and TensorFlow compute.", "뒤집지 않음: 교차 상관, PyTorch의 Conv2d와 TensorFlow가 계산하는 방식입니다.") \
    X(preset_transpose_checkerboard, "Transposed 2×2 → 5×5 (k3, s2: checkerboard)", "전치 합성곱 2×2 → 5×5 (k3, s2: 체커보드)") \
    X(preset_transpose_dcgan, "DCGAN-like 4×4 → 8×8 (k4, s2, p1)", "DCGAN식 4×4 → 8×8 (k4, s2, p1)") \
    X(preset_im2col_lecture, "im2col of the lecture example", "강의 예제의 im2col") \
    X(img_map_abs_scaled, "Absolute value, scaled to the largest", "절댓값 (최댓값 기준 비율)") \
    X(mac_nothing_lands, "nothing lands here", "여기에 닿는 곱이 없습니다") \
    X(mac_trace_truncated, "trace truncated", "기록 생략")
// clang-format on

CONVSCOPE_TEXT_TABLE(Str, int, CONVSCOPE_STRINGS, count, kStrTexts);
using StrTexts = TextPair;

// Every string's two languages hold the same placeholders (tests/strings.test.cpp names the first that
// differ).
static_assert(texts_consistent(kStrTexts, false),
              "a string's English and Korean hold different {} placeholders");

namespace detail {
// Not constexpr: reaching it in StrFormat's consteval constructor is the compile error.
void trf_argument_count_differs_from_the_strings_placeholders();
}  // namespace detail

// A Str checked at compile time against the arguments trf is given: their count must be the string's number
// of placeholders, and fmt checks each placeholder's spec against its argument's type, in both languages.
template <class... Args>
class StrFormat {
public:
    consteval StrFormat(Str id) : m_id(id) {
        const StrTexts& t = kStrTexts[std::size_t(id)];
        if (count_placeholders(t.en) != sizeof...(Args) || count_placeholders(t.ko) != sizeof...(Args))
            detail::trf_argument_count_differs_from_the_strings_placeholders();
        (void)fmt::format_string<Args...>(t.en);
        (void)fmt::format_string<Args...>(t.ko);
    }
    constexpr Str id() const { return m_id; }

private:
    Str m_id;
};

// The current language (set by the shell; read by every view).
Lang language();
void set_language(Lang lang);

// The string in the current language.
const char* tr(Str id);
// The string in a given language.
const char* tr(Str id, Lang lang);
// The string in the current language with its `{}` placeholders filled by `args`, in order.
template <class... Args>
std::string trf(StrFormat<std::type_identity_t<Args>...> id, Args&&... args) {
    return fmt::vformat(fmt::string_view(tr(id.id())), fmt::make_format_args(args...));
}
// The same in a given language.
template <class... Args>
std::string trf(Lang lang, StrFormat<std::type_identity_t<Args>...> id, Args&&... args) {
    return fmt::vformat(fmt::string_view(tr(id.id(), lang)), fmt::make_format_args(args...));
}

// A structured error from core or the CLI (core/support/error_codes.hpp) in the current language, or in
// `lang`. Views keep the Error, not this text, so a language switch redraws it.
std::string tr_error(const Error& error);
std::string tr_error(const Error& error, Lang lang);

// A message kept as what it says, not as text: a string id with its arguments, an Error, or text shown as it
// is (a path, a name). It is rendered in the current language each time it is drawn, so a language switch
// redraws it. An argument may itself be a Str, an Error or a Message (rendered in the same language).
//   m_status = Message(Str::msg_saved, path);   …   ImGui::TextUnformatted(m_status.text().c_str());
class Message;

namespace detail {
// What a Message keeps of an argument (texts are copied: a c_str() may not outlive the call).
template <class T>
using message_stored_t = std::conditional_t<std::is_convertible_v<const std::decay_t<T>&, std::string_view>,
                                            std::string, std::decay_t<T>>;
// What fmt gets for a kept argument: translated words and errors become text.
template <class T>
using message_arg_t =
    std::conditional_t<std::is_same_v<std::decay_t<T>, Str> || std::is_same_v<std::decay_t<T>, Error> ||
                           std::is_same_v<std::decay_t<T>, Message>,
                       std::string, message_stored_t<T>>;
}  // namespace detail

class Message {
public:
    Message() = default;
    // Text shown as it is, in every language.
    Message(std::string text);
    Message(const char* text) : Message(std::string(text)) {}
    // Core's structured error, in the current language.
    Message(Error error);
    // A string of the table with its arguments, checked at compile time as trf checks them.
    template <class... Args>
    Message(StrFormat<detail::message_arg_t<Args>...> id, Args&&... args)
        : m_render([id = id.id(),
                    kept = std::make_tuple(detail::message_stored_t<Args>(std::forward<Args>(args))...)] {
              return std::apply([id](const auto&... a) { return format(id, rendered(a)...); }, kept);
          }) {}

    // A message a function renders (called at each draw, in the current language).
    static Message rendered_by(std::function<std::string()> render);

    // The message in the current language ("" when there is none).
    std::string text() const { return m_render ? m_render() : std::string(); }
    bool empty() const { return !m_render; }
    // True for text kept as it was given (it does not follow a language switch).
    bool verbatim() const { return m_verbatim; }

private:
    template <class T>
    static decltype(auto) rendered(const T& arg) {
        if constexpr (std::is_same_v<T, Str> || std::is_same_v<T, Error> || std::is_same_v<T, Message>)
            return render_word(arg);
        else
            return (arg);
    }
    static std::string render_word(Str id);
    static std::string render_word(const Error& error);
    static std::string render_word(const Message& message) { return message.text(); }
    template <class... Ts>
    static std::string format(Str id, const Ts&... args);

    std::function<std::string()> m_render;
    bool m_verbatim = false;
};

// An axis's output-size formula (core's axis_formula_parts) with the ceil_mode note in the current language.
std::string tr_axis_formula(const AxisSpec& axis);

// A multiply-accumulate token (core's explain_tokens) in the current language: its words ("channel 2:",
// "bias", "nothing lands here", "trace truncated") translated, its numbers and operators as they are.
std::string tr_mac_text(const MacToken& token);
// The tokens as lines of text in the current language (core's join_lines, translated).
std::vector<std::string> tr_mac_lines(const std::vector<MacToken>& tokens);

// "en" / "ko" ↔ Lang; parse returns false for anything else.
const char* lang_code(Lang lang);
bool parse_lang(std::string_view code, Lang& out);

// Every string of the table in every language (for glyph ranges and the font test).
std::vector<std::string_view> all_strings();

// Characters drawn that are not in the table: the math of formulas and MAC lines, and the playback symbols.
inline constexpr const char* kExtraGlyphs = "⌊⌋⌈⌉×−Σ⋆·…→←↑↓▶◀■❚|−–—₀₁₂₃⁰¹²³√∞≤≥≠";

template <class... Ts>
std::string Message::format(Str id, const Ts&... args) {
    return fmt::vformat(fmt::string_view(tr(id)), fmt::make_format_args(args...));
}

}  // namespace convscope::ui
