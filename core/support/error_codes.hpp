// The catalogue of every error (and error word) core and the CLI report: one X(code, English, Korean) line
// each.
// `{}` is an argument, in order; both languages must have the same number (checked at compile time below and
// by tests/error_codes.test.cpp). Core holds both languages: they are data, not UI. To add an error, add a
// line here and `return fail<ErrCode::my_code>(arg1, arg2);` (the compiler checks the argument count).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/support/placeholders.hpp"
#include "core/support/text_table.hpp"

namespace convscope {

// clang-format off
#define CONVSCOPE_ERRORS(X) \
    X(text,                 "{}", "{}") \
    /* words, used as arguments of other errors */ \
    X(w_stride,             "stride", "스트라이드") \
    X(w_dilation,           "dilation", "팽창(dilation)") \
    X(w_kernel_size,        "kernel size", "커널 크기") \
    X(w_input,              "input", "입력") \
    X(w_weight,             "weight", "가중치") \
    X(w_bias,               "bias", "편향") \
    X(w_this_conv,          "this convolution", "이 합성곱") \
    X(w_this_pool,          "this pooling", "이 풀링") \
    X(w_this_conv_transpose, "this transposed convolution", "이 전치 합성곱") \
    X(w_batch,              "batch", "배치") \
    X(w_output_channel,     "output channel", "출력 채널") \
    X(w_channel,            "channel", "채널") \
    X(w_row,                "row", "행") \
    X(w_column,             "column", "열") \
    X(w_over_2_63,          "over 2⁶³", "2⁶³ 초과") \
    /* geometry (core/engine/geometry.cpp) */ \
    X(must_be_at_least_1,   "{} must be at least 1, got {}", "{} 값은 1 이상이어야 합니다 (입력: {})") \
    X(shape_empty_dim,      "{} of shape {} has an empty dimension", "{}의 모양 {}에 크기가 0인 차원이 있습니다") \
    X(shape_over_limits,    "{} of shape {} is larger than the limits", "{}의 모양 {}이(가) 한도보다 큽니다") \
    X(kernel_larger_than_padded, "kernel {} (dilated {}×{}) is larger than the padded input {}×{}", "커널 {} (팽창 후 {}×{})이(가) 패딩한 입력 {}×{}보다 큽니다") \
    X(mult_adds_over_limit, "{} needs {} multiply-adds, over the limit of {} per operation (--max-mult-adds raises it)", "{}에는 곱셈-덧셈이 {}번 필요해 연산당 한도 {}을(를) 넘습니다 (--max-mult-adds로 올릴 수 있습니다)") \
    X(input_rank,           "input must be N×C×H×W or C×H×W, got shape {}", "입력은 N×C×H×W 또는 C×H×W여야 합니다 (모양: {})") \
    X(output_over_limits,   "the output {} would be larger than the limits", "출력 {}이(가) 한도보다 커집니다") \
    X(weight_rank,          "weight must be O×C×kH×kW (4 dimensions), got shape {}", "가중치는 O×C×kH×kW (4차원)여야 합니다 (모양: {})") \
    X(kernel_over_side_limit, "kernel {} is larger than the limit of {} per side", "커널 {}이(가) 한 변의 한도 {}보다 큽니다") \
    X(groups_min,           "groups must be at least 1, got {}", "groups는 1 이상이어야 합니다 (입력: {})") \
    X(groups_in_channels,   "groups {} does not divide the {} input channels", "groups {}(으)로 입력 채널 {}개를 나눌 수 없습니다") \
    X(groups_out_channels,  "groups {} does not divide the {} output channels", "groups {}(으)로 출력 채널 {}개를 나눌 수 없습니다") \
    X(weight_in_channels,   "weight {} expects {} input channels ({} per group × {} groups), but the input has {}", "가중치 {}은(는) 입력 채널 {}개를 기대하지만 (그룹당 {}개 × 그룹 {}개), 입력의 채널은 {}개입니다") \
    X(bias_shape,           "bias must have shape {} (one per output channel), got {}", "편향의 모양은 {}이어야 합니다 (출력 채널마다 하나) (입력: {})") \
    X(padding_negative,     "padding must not be negative, got {}", "패딩은 음수일 수 없습니다 (입력: {})") \
    X(same_needs_stride_1,  "padding 'same' needs stride 1 (PyTorch refuses strided 'same' convolutions)", "패딩 'same'에는 스트라이드 1이 필요합니다 (PyTorch는 스트라이드가 있는 'same' 합성곱을 거부합니다)") \
    X(same_padding_over_limit, "padding 'same' with dilation {} and kernel {} needs a padding over the limit of {} per side", "팽창 {}, 커널 {}의 패딩 'same'에는 한 변의 한도 {}을(를) 넘는 패딩이 필요합니다") \
    X(padding_over_limit,   "padding {} is over the limit of {} per side", "패딩 {}이(가) 한 변의 한도 {}을(를) 넘습니다") \
    X(reflect_padding_too_large, "reflect padding {} must be smaller than the input {}", "reflect 패딩 {}은(는) 입력 {}보다 작아야 합니다") \
    X(circular_padding_too_large, "circular padding {} must not exceed the input {}", "circular 패딩 {}은(는) 입력 {}보다 클 수 없습니다") \
    X(avg_pool_no_dilation, "average pooling has no dilation (PyTorch's AvgPool2d takes none)", "평균 풀링에는 팽창이 없습니다 (PyTorch의 AvgPool2d는 받지 않습니다)") \
    X(pool_padding_half_kernel, "padding {} must be at most half the kernel {} (PyTorch's rule)", "패딩 {}은(는) 커널 {}의 절반 이하여야 합니다 (PyTorch의 규칙)") \
    /* parameters (core/engine/params.cpp) */ \
    X(not_whole_number,     "'{}' is not a whole number", "'{}'은(는) 정수가 아닙니다") \
    X(not_n_or_hw,          "'{}' is not N or H,W", "'{}'은(는) N 또는 H,W 형식이 아닙니다") \
    X(padding_not_valid,    "padding '{}' is not N, H,W, same or valid", "패딩 '{}'은(는) N, H,W, same, valid 중 하나가 아닙니다") \
    X(padding_mode_unknown, "padding mode '{}' is not zeros, reflect, replicate or circular", "패딩 방식 '{}'은(는) zeros, reflect, replicate, circular 중 하나가 아닙니다") \
    /* the transposed convolution's validation (core/engine/geometry.cpp) */ \
    X(w_under_2_63,         "under −2⁶³", "−2⁶³ 미만") \
    X(tconv_weight_rank,    "weight must be C×O/groups×kH×kW (4 dimensions), got shape {}", "가중치는 C×O/groups×kH×kW (4차원)여야 합니다 (모양: {})") \
    X(tconv_weight_in_channels, "weight {} expects {} input channels (a transposed convolution's weight is C_in×C_out/groups×kH×kW), but the input has {}", "가중치 {}은(는) 입력 채널 {}개를 기대하지만 (전치 합성곱의 가중치는 C_in×C_out/groups×kH×kW), 입력의 채널은 {}개입니다") \
    X(tconv_out_channels_over_limit, "weight {} with {} groups has more output channels than the limit of {}", "가중치 {}와(과) 그룹 {}개로는 출력 채널이 한도 {}개보다 많아집니다") \
    X(tconv_output_padding_negative, "output_padding must not be negative, got {}", "output_padding은 음수일 수 없습니다 (입력: {})") \
    X(tconv_output_too_small, "the output would be {}×{}: the input {} is too small for padding {} ((in − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1)", "출력이 {}×{}이(가) 됩니다: 입력 {}이(가) 패딩 {}에 비해 너무 작습니다 ((in − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1)") \
    X(tconv_output_side_over_limit, "the output {}×{} is larger than the limit of {} per side", "출력 {}×{}이(가) 한 변의 한도 {}보다 큽니다") \
    X(tconv_terms_over_limit, "stride {}, padding {} and dilation {} are beyond the limit of 2⁴⁰ for (in − 1)·stride, padding and dilation·(kernel − 1)", "스트라이드 {}, 패딩 {}, 팽창 {}이(가) (in − 1)·stride, padding, dilation·(kernel − 1)의 한도 2⁴⁰을 넘습니다") \
    /* the stepper's transposed-convolution and im2col views (core/stepper/stepper_transpose.cpp) */ \
    X(st_not_transposed,    "the scatter and gather views are for a transposed convolution", "흩뿌리기와 모으기 보기는 전치 합성곱에만 씁니다") \
    X(st_numeric_padding,   "a transposed convolution takes numeric padding", "전치 합성곱은 숫자로 된 패딩만 받습니다") \
    X(st_no_output_channel, "no output channel {}", "출력 채널 {}이(가) 없습니다") \
    X(st_im2col_whole_trace, "im2col needs a whole convolution trace", "im2col에는 잘리지 않은 합성곱 추적이 필요합니다") \
    X(st_im2col_same_terms, "im2col needs the same terms in every window", "im2col에는 모든 창에 같은 항이 필요합니다") \
    /* .npy files (core/io/npy.cpp) */ \
    X(npy_no_magic,         "not a .npy file (the magic string \\x93NUMPY is missing)", ".npy 파일이 아닙니다 (매직 문자열 \\x93NUMPY가 없습니다)") \
    X(npy_truncated_header, "the .npy file is truncated in its header", ".npy 파일이 헤더에서 잘렸습니다") \
    X(npy_version,          "unsupported .npy version {}", "지원하지 않는 .npy 버전 {}입니다") \
    X(npy_header_too_long,  "the .npy header is absurdly long", ".npy 헤더가 터무니없이 깁니다") \
    X(npy_not_dict,         "the .npy header is not a dictionary", ".npy 헤더가 딕셔너리가 아닙니다") \
    X(npy_expected_colon,   "the .npy header is malformed (expected ':')", ".npy 헤더의 형식이 잘못되었습니다 (':'이(가) 와야 합니다)") \
    X(npy_expected_comma,   "the .npy header is malformed (expected ',' or '}}')", ".npy 헤더의 형식이 잘못되었습니다 (','나 '}}'이(가) 와야 합니다)") \
    X(npy_expected_string,  "the .npy header is malformed (expected a string)", ".npy 헤더의 형식이 잘못되었습니다 (문자열이 와야 합니다)") \
    X(npy_unterminated,     "the .npy header has an unterminated string", ".npy 헤더에 끝나지 않은 문자열이 있습니다") \
    X(npy_fortran_order,    "the .npy header's fortran_order is not True or False", ".npy 헤더의 fortran_order가 True나 False가 아닙니다") \
    X(npy_unknown_key,      "the .npy header has an unknown key '{}'", ".npy 헤더에 알 수 없는 키 '{}'이(가) 있습니다") \
    X(npy_lacks_keys,       "the .npy header lacks descr, fortran_order or shape", ".npy 헤더에 descr, fortran_order, shape 중 빠진 것이 있습니다") \
    X(npy_shape_not_tuple,  "the .npy header's shape is not a tuple", ".npy 헤더의 shape가 튜플이 아닙니다") \
    X(npy_shape_malformed,  "the .npy header's shape is malformed", ".npy 헤더의 shape 형식이 잘못되었습니다") \
    X(npy_absurd_dim,       "the .npy shape has an absurd dimension", ".npy 모양에 터무니없이 큰 차원이 있습니다") \
    X(npy_rank_over_8,      "the .npy array has more than 8 dimensions", ".npy 배열의 차원이 8개보다 많습니다") \
    X(npy_dtype,            "unsupported .npy dtype '{}' (float32, float64, int32 or int64 needed)", "지원하지 않는 .npy dtype '{}'입니다 (float32, float64, int32, int64 중 하나여야 합니다)") \
    X(npy_over_limit,       "the .npy array of shape {} is larger than the limit of {} elements", "모양 {}의 .npy 배열이 한도인 원소 {}개보다 큽니다") \
    X(npy_truncated_data,   "the .npy file is truncated: shape {} needs {} bytes of data, it has {}", ".npy 파일이 잘렸습니다: 모양 {}에는 데이터가 {}바이트 필요하지만 {}바이트뿐입니다") \
    /* images, every decoder (core/io/image.cpp) */ \
    X(w_fmt_pic,            "a Softimage PIC image", "Softimage PIC 이미지") \
    X(w_fmt_hdr,            "a Radiance HDR image", "Radiance HDR 이미지") \
    X(w_fmt_psd,            "a Photoshop PSD image", "Photoshop PSD 이미지") \
    X(w_fmt_tiff,           "a TIFF image", "TIFF 이미지") \
    X(w_fmt_webp,           "a WebP image", "WebP 이미지") \
    X(w_fmt_heif,           "a HEIF or AVIF image", "HEIF 또는 AVIF 이미지") \
    X(w_fmt_qoi,            "a QOI image", "QOI 이미지") \
    X(w_fmt_text_pnm,       "a text or 1-bit PNM image (P1 to P4)", "텍스트 또는 1비트 PNM 이미지 (P1–P4)") \
    X(w_formats_read,       "PNG, JPEG, GIF, BMP, TGA and binary PPM/PGM", "PNG, JPEG, GIF, BMP, TGA, 바이너리 PPM/PGM") \
    X(w_unknown_error,      "unknown error", "알 수 없는 오류") \
    X(image_truncated,      "the file ends before its pixels do ({} of {} bytes)", "파일이 픽셀보다 먼저 끝납니다 ({}/{}바이트)") \
    X(image_truncated_data, "the file ends before its image data does ({} bytes)", "파일이 이미지 데이터보다 먼저 끝납니다 ({}바이트)") \
    X(image_data_damaged,   "the {} data is damaged ({})", "{} 데이터가 손상되었습니다 ({})") \
    X(image_cannot_decode,  "the {} file cannot be decoded ({})", "{} 파일을 디코딩할 수 없습니다 ({})") \
    X(image_cannot_decode_plain, "the {} file cannot be decoded", "{} 파일을 디코딩할 수 없습니다") \
    X(image_unexpected_layout, "the {} decoder gave an unexpected pixel layout", "{} 디코더가 예상하지 못한 픽셀 배치를 내놓았습니다") \
    X(pnm_header_ends,      "the file ends inside its PNM header", "파일이 PNM 헤더 안에서 끝납니다") \
    X(pnm_number_expected,  "the PNM header is malformed (a number was expected)", "PNM 헤더의 형식이 잘못되었습니다 (숫자가 와야 합니다)") \
    X(pnm_number_over,      "the PNM header gives a number over 2^32", "PNM 헤더의 숫자가 2^32를 넘습니다") \
    X(pnm_maxval,           "the PNM header gives a maximum value of {}; it must be 1 to 65535", "PNM 헤더의 최댓값이 {}입니다; 1부터 65535까지여야 합니다") \
    X(image_encode_malformed, "cannot encode an empty or malformed {} image", "비어 있거나 잘못된 {} 이미지는 인코딩할 수 없습니다") \
    X(image_encode_too_large, "the image is too large to encode as PNG", "이미지가 너무 커서 PNG로 인코딩할 수 없습니다") \
    /* PNG (core/io/image_png.cpp) */ \
    X(png_no_ihdr,          "the PNG file has no IHDR header", "PNG 파일에 IHDR 헤더가 없습니다") \
    X(png_colour_type,      "the PNG header gives an unknown colour type {}", "PNG 헤더의 색 형식 {}을(를) 알 수 없습니다") \
    X(png_data_short,       "the file ends before its image data does ({} bytes cannot hold a {}×{} image)", "파일이 이미지 데이터보다 먼저 끝납니다 ({}바이트로는 {}×{} 이미지를 담을 수 없습니다)") \
    X(png_decoder_oom,      "out of memory for the PNG decoder", "PNG 디코더에 쓸 메모리가 부족합니다") \
    X(png_encoder_oom,      "out of memory for the PNG encoder", "PNG 인코더에 쓸 메모리가 부족합니다") \
    X(png_size_changed,     "the PNG header changed size while it was read", "PNG 헤더를 읽는 동안 크기가 바뀌었습니다") \
    /* JPEG (core/io/image_jpeg.cpp) */ \
    X(jpeg_too_many_scans,  "the JPEG data is damaged (more than {} progressive scans)", "JPEG 데이터가 손상되었습니다 (프로그레시브 스캔이 {}개보다 많습니다)") \
    X(jpeg_stopped,         "the JPEG decoder stopped before the last row", "JPEG 디코더가 마지막 행 전에 멈췄습니다") \
    /* GIF (core/io/image_gif.cpp) */ \
    X(gif_not_gif,          "not a GIF file", "GIF 파일이 아닙니다") \
    X(gif_ends_early,       "the GIF image data ends before its last pixel", "GIF 이미지 데이터가 마지막 픽셀 전에 끝납니다") \
    X(gif_no_image,         "the GIF file holds no image", "GIF 파일에 이미지가 없습니다") \
    X(gif_unknown_record,   "the GIF file has an unknown record", "GIF 파일에 알 수 없는 레코드가 있습니다") \
    X(gif_frame_outside,    "the GIF frame {}×{} at ({}, {}) lies outside its {}×{} screen", "GIF 프레임 {}×{} (위치 ({}, {}))이(가) {}×{} 화면 밖에 있습니다") \
    X(gif_no_colour_table,  "the GIF file has no colour table", "GIF 파일에 색상표가 없습니다") \
    /* BMP and TGA (core/io/image_stb.cpp) */ \
    X(bmp_bpp,              "the BMP header gives {} bits per pixel", "BMP 헤더의 픽셀당 비트 수가 {}입니다") \
    X(bmp_compression,      "the BMP file uses compression {}; only uncompressed BMP files are read", "BMP 파일이 압축 방식 {}을(를) 씁니다; 압축하지 않은 BMP 파일만 읽습니다") \
    X(image_past_end,       "the file ends before its pixels do ({} bytes)", "파일이 픽셀보다 먼저 끝납니다 ({}바이트)") \
    /* the gpu backend's OpenGL context (core/engine/gpu/gl_context.cpp) */ \
    X(gl_cannot_load,       "could not load OpenGL functions", "OpenGL 함수를 불러올 수 없습니다") \
    X(gl_version_low,       "OpenGL {}.{} is below the 4.3 that compute shaders need", "OpenGL {}.{}은(는) 컴퓨트 셰이더에 필요한 4.3보다 낮습니다") \
    X(egl_no_library,       "libEGL.so.1 could not be loaded", "libEGL.so.1을 불러올 수 없습니다") \
    X(egl_no_surfaceless,   "EGL has no surfaceless platform (EGL_MESA_platform_surfaceless)", "EGL에 surfaceless 플랫폼이 없습니다 (EGL_MESA_platform_surfaceless)") \
    X(egl_no_platform_display, "EGL has no eglGetPlatformDisplayEXT", "EGL에 eglGetPlatformDisplayEXT가 없습니다") \
    X(egl_no_display,       "no EGL surfaceless display ({})", "EGL surfaceless 디스플레이가 없습니다 ({})") \
    X(egl_init_failed,      "eglInitialize failed on the surfaceless display ({})", "surfaceless 디스플레이에서 eglInitialize가 실패했습니다 ({})") \
    X(egl_display_functions, "EGL display functions could not be loaded", "EGL 디스플레이 함수를 불러올 수 없습니다") \
    X(egl_no_surfaceless_context, "EGL cannot make a context current without a surface (EGL_KHR_surfaceless_context)", "EGL이 표면 없이 컨텍스트를 활성화할 수 없습니다 (EGL_KHR_surfaceless_context)") \
    X(egl_no_desktop_gl,    "EGL does not offer desktop OpenGL", "EGL이 데스크톱 OpenGL을 제공하지 않습니다") \
    X(egl_no_config,        "EGL has no desktop-OpenGL configuration", "EGL에 데스크톱 OpenGL 구성이 없습니다") \
    X(egl_no_context,       "EGL could not create an OpenGL 4.3 core context ({})", "EGL이 OpenGL 4.3 core 컨텍스트를 만들 수 없습니다 ({})") \
    X(egl_not_current,      "EGL could not make the context current ({})", "EGL이 컨텍스트를 활성화할 수 없습니다 ({})") \
    X(w_fallback_context,   "the fallback context", "대체 컨텍스트") \
    X(gl_via_egl,           "EGL surfaceless: {}", "EGL surfaceless 방식: {}") \
    X(gl_not_current,       "{}: could not be made current", "{}: 활성화할 수 없습니다") \
    X(gl_fallback_version,  "{}: OpenGL {}.{} is below 4.3", "{}: OpenGL {}.{}은(는) 4.3보다 낮습니다") \
    X(gl_no_fallback,       "no fallback context was supplied", "대체 컨텍스트가 주어지지 않았습니다") \
    X(gl_reasons,           "{}; {}", "{}; {}") \
    X(gl_no_context,        "no OpenGL 4.3 context: {}", "OpenGL 4.3 컨텍스트가 없습니다: {}") \
    /* the gpu backend (core/engine/gpu/gpu_backend.cpp) */ \
    X(w_output,             "output", "출력") \
    X(w_allocating_buffer,  "allocating a GPU buffer", "GPU 버퍼 할당") \
    X(w_reading_output,     "reading the output back", "출력 읽어 오기") \
    X(gpu_disabled_env,     "disabled by CONVSCOPE_GPU_DISABLE={}", "CONVSCOPE_GPU_DISABLE={}(으)로 꺼져 있습니다") \
    X(gpu_software_taps,    "a {}×{} window has {} taps; this software renderer (llvmpipe) stops shader loops after 65,535 iterations, so the gpu backend takes at most {} here (use --backend simd)", "{}×{} 창의 탭은 {}개입니다; 이 소프트웨어 렌더러(llvmpipe)는 셰이더 반복을 65,535번에서 멈추므로 여기서 gpu 백엔드는 최대 {}개까지 받습니다 (--backend simd를 쓰세요)") \
    X(gpu_out_of_memory,    "{}: the GPU ran out of memory", "{}: GPU 메모리가 부족합니다") \
    X(gpu_gl_error,         "{}: OpenGL error {}", "{}: OpenGL 오류 {}") \
    X(gpu_alloc_failed,     "could not allocate {} of GPU memory ({})", "GPU 메모리 {}을(를) 할당할 수 없습니다 ({})") \
    X(gpu_indices_32bit,    "the problem is too large for the gpu backend's 32-bit indices", "문제가 너무 커서 gpu 백엔드의 32비트 인덱스로 다룰 수 없습니다") \
    X(gpu_weight_over_block, "the weight ({}) is larger than this GPU's storage-buffer limit of {}", "가중치({})가 이 GPU의 저장 버퍼 한도 {}보다 큽니다") \
    X(gpu_plane_over_block, "one {}×{} plane is larger than this GPU's storage-buffer limit of {}", "{}×{} 평면 하나가 이 GPU의 저장 버퍼 한도 {}보다 큽니다") \
    X(gpu_group_over_block, "one group's {} is larger than this GPU's storage-buffer limit of {} (use --backend simd)", "그룹 하나의 {}이(가) 이 GPU의 저장 버퍼 한도 {}보다 큽니다 (--backend simd를 쓰세요)") \
    /* compute shaders (core/engine/gpu/shader_program.cpp) */ \
    X(shader_name,          "shader {}", "셰이더 {}") \
    X(shader_name_defines,  "shader {} ({})", "셰이더 {} ({})") \
    X(shader_no_log,        "(the driver gave no log)", "(드라이버가 로그를 남기지 않았습니다)") \
    X(shader_cannot_read,   "cannot read shader {}", "셰이더 {}을(를) 읽을 수 없습니다") \
    X(shader_not_embedded,  "shader {} is not embedded in this build", "셰이더 {}이(가) 이 빌드에 들어 있지 않습니다") \
    X(shader_no_create,     "{}: the driver could not create a compute shader", "{}: 드라이버가 컴퓨트 셰이더를 만들 수 없습니다") \
    X(shader_compile,       "{} does not compile: {}", "{}이(가) 컴파일되지 않습니다: {}") \
    X(shader_link,          "{} does not link: {}", "{}이(가) 링크되지 않습니다: {}") \
    /* screenshots and GIF recordings (app/ui/capture.cpp) */ \
    X(capture_empty_region, "nothing to save (empty region)", "저장할 것이 없습니다 (빈 영역)") \
    X(capture_cannot_encode, "cannot encode {} as PNG", "{}을(를) PNG로 인코딩할 수 없습니다") \
    X(capture_nothing_to_record, "nothing to record (empty region)", "녹화할 것이 없습니다 (빈 영역)") \
    X(capture_gif_not_open, "the GIF is not open", "GIF가 열려 있지 않습니다") \
    X(capture_gif_frame_size, "GIF frames must all have the same size", "GIF 프레임은 모두 같은 크기여야 합니다") \
    X(capture_gif_quantize, "cannot quantize a GIF frame", "GIF 프레임의 색을 줄일 수 없습니다") \
    /* settings (app/ui/settings.cpp) */ \
    X(cannot_create,        "cannot create {}: {}", "{}을(를) 만들 수 없습니다: {}") \
    X(settings_no_home,     "neither XDG_CONFIG_HOME nor HOME is set", "XDG_CONFIG_HOME도 HOME도 설정되어 있지 않습니다") \
    X(settings_not_object,  "settings.json is not a JSON object", "settings.json이 JSON 객체가 아닙니다") \
    /* the command line's options (app/cli/options.cpp) */ \
    X(w_n_or_hw,            "N or H,W", "N 또는 H,W") \
    X(w_n_hw_or_hxw,        "N, H,W or HxW", "N, H,W 또는 HxW") \
    X(cli_not_whole,        "{}: '{}' is not a whole number (decimal digits only)", "{}: '{}'은(는) 정수가 아닙니다 (십진수 숫자만 씁니다)") \
    X(cli_out_of_range,     "{}: '{}' is out of range", "{}: '{}'이(가) 범위를 벗어납니다") \
    X(cli_not_form,         "{}: '{}' is not {}", "{}: '{}'은(는) {} 형식이 아닙니다") \
    X(cli_not_form_digits,  "{}: '{}' is not {} (decimal digits only)", "{}: '{}'은(는) {} 형식이 아닙니다 (십진수 숫자만 씁니다)") \
    X(cli_not_padding,      "{}: '{}' is not N, H,W, same or valid", "{}: '{}'은(는) N, H,W, same, valid 중 하나가 아닙니다") \
    X(cli_repeat_range,     "--repeat must be between 1 and {}, got {}", "--repeat은 1부터 {}까지여야 합니다 (입력: {})") \
    /* the filter command (app/cli/filter_command.cpp) */ \
    X(cli_kernel_neither,   "--kernel '{}' is neither a preset nor a file; presets: {}", "--kernel '{}'은(는) 프리셋도 파일도 아닙니다; 프리셋: {}") \
    X(cli_pool_unknown,     "--pool '{}' is not max or avg", "--pool '{}'은(는) max나 avg가 아닙니다") \
    X(cli_pool_kernel,      "--kernel with --pool is the window size N or H,W: {}", "--pool과 쓰는 --kernel은 창 크기 N 또는 H,W입니다: {}") \
    X(cli_pool_padding,     "--padding with --pool is N or H,W: {}", "--pool과 쓰는 --padding은 N 또는 H,W입니다: {}") \
    X(cli_pool_padding_mode, "--padding-mode applies to convolution, not pooling", "--padding-mode는 풀링이 아니라 합성곱에 씁니다") \
    /* explain --transposed (app/cli/engine_commands.cpp) */ \
    X(cli_flip_transposed,  "--flip does not apply to --transposed", "--flip은 --transposed와 함께 쓸 수 없습니다") \
    X(cli_padding_mode_transposed, "--padding-mode {} does not apply to --transposed (ConvTranspose2d pads with zeros only)", "--padding-mode {}은(는) --transposed와 함께 쓸 수 없습니다 (ConvTranspose2d는 0으로만 패딩합니다)") \
    /* network refusals (core/network.cpp); argument names are PyTorch's and stay as they are */ \
    X(net_both_at_least_1,  "{} and {} must be at least 1, got {} and {}", "{}와(과) {}은(는) 1 이상이어야 합니다 (입력: {}, {})") \
    X(net_groups_in,        "groups={} does not divide in_channels={} (each group must get the same number of input channels)", "groups={}(으)로 in_channels={}을(를) 나눌 수 없습니다 (그룹마다 입력 채널 수가 같아야 합니다)") \
    X(net_groups_out,       "groups={} does not divide out_channels={} (each group must make the same number of output channels)", "groups={}(으)로 out_channels={}을(를) 나눌 수 없습니다 (그룹마다 출력 채널 수가 같아야 합니다)") \
    X(net_same_stride,      "padding='same' needs stride 1 (PyTorch refuses 'same' for strided convolutions)", "padding='same'에는 stride 1이 필요합니다 (PyTorch는 스트라이드가 있는 합성곱에 'same'을 거부합니다)") \
    X(net_weight_over_limits, "the weight {} is larger than the limits", "가중치 {}이(가) 한도보다 큽니다") \
    X(net_tpad_negative,    "padding and output_padding must not be negative", "padding과 output_padding은 음수일 수 없습니다") \
    X(net_tpad_zeros_only,  "only 'zeros' padding mode is supported for ConvTranspose2d", "ConvTranspose2d는 'zeros' 패딩 방식만 지원합니다") \
    X(net_output_padding,   "output_padding {} must be smaller than either stride {} or dilation {}", "output_padding {}은(는) stride {} 또는 dilation {}보다 작아야 합니다") \
    X(net_pool_padding,     "pooling padding must be a number or a pair", "풀링의 padding은 숫자 하나 또는 두 개여야 합니다") \
    X(net_output_size_negative, "output_size must not be negative, got {}", "output_size는 음수일 수 없습니다 (입력: {})") \
    X(net_num_features,     "num_features must be at least 1, got {}", "num_features는 1 이상이어야 합니다 (입력: {})") \
    X(net_dropout_p,        "dropout probability has to be between 0 and 1, but got {}", "드롭아웃 확률은 0과 1 사이여야 합니다 (입력: {})") \
    X(net_size_or_scale,    "either size or scale_factor should be defined", "size와 scale_factor 중 하나를 정해야 합니다") \
    X(net_size_and_scale,   "only one of size or scale_factor should be defined", "size와 scale_factor 중 하나만 정해야 합니다") \
    X(net_scale_positive,   "scale_factor must be above 0", "scale_factor는 0보다 커야 합니다") \
    X(net_align_corners,    "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear", "align_corners는 보간 방식(linear | bilinear | bicubic | trilinear)에서만 쓸 수 있습니다") \
    X(net_lrn_size,         "size must be at least 1, got {}", "size는 1 이상이어야 합니다 (입력: {})") \
    X(net_output_empty,     "the output would be empty: {}", "출력이 비게 됩니다: {}") \
    X(net_spatial_rank,     "{} needs a 3-D (C×H×W) or 4-D (N×C×H×W) input, but gets {}{}", "{}에는 3차원(C×H×W) 또는 4차원(N×C×H×W) 입력이 필요하지만 {}이(가) 들어옵니다{}") \
    X(net_hint_before_flatten, " — put it before Flatten", " — Flatten 앞에 두세요") \
    X(net_channels_1,       "{} is {}, but the input {} has {} channel", "{}은(는) {}이지만 입력 {}의 채널은 {}개입니다") \
    X(net_channels,         "{} is {}, but the input {} has {} channels", "{}은(는) {}이지만 입력 {}의 채널은 {}개입니다") \
    X(net_output_over_limits, "the output {} is larger than the limits", "출력 {}이(가) 한도보다 큽니다") \
    X(net_tconv_empty,      "the output would be empty: the input {}×{} gives {}×{} ((H − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1)", "출력이 비게 됩니다: 입력 {}×{}에서 {}×{}이(가) 나옵니다 ((H − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1)") \
    X(net_batchnorm_rank,   "BatchNorm2d expects a 4-D (N×C×H×W) input, but gets {}", "BatchNorm2d에는 4차원(N×C×H×W) 입력이 필요하지만 {}이(가) 들어옵니다") \
    X(net_lrn_rank,         "LocalResponseNorm expects a 3-D or larger input, but gets {}", "LocalResponseNorm에는 3차원 이상의 입력이 필요하지만 {}이(가) 들어옵니다") \
    X(net_dim_range,        "{}={} is out of range for the input {} (dimensions run from {} to {})", "{}={}이(가) 입력 {}의 범위를 벗어납니다 (차원은 {}부터 {}까지입니다)") \
    X(net_pad_rank,         "{} pads the last two dimensions, but gets {}", "{}은(는) 마지막 두 차원을 패딩하지만 {}이(가) 들어옵니다") \
    X(net_reflection_pad,   "reflection padding must be smaller than the input it reflects: padding ({}, {}, {}, {}) on {}×{}", "반사 패딩은 반사하는 입력보다 작아야 합니다: 패딩 ({}, {}, {}, {}), 입력 {}×{}") \
    X(net_bilinear_rank,    "got a 3-D input, but bilinear mode needs a 4-D (N×C×H×W) input", "3차원 입력이 들어왔지만 bilinear 방식에는 4차원(N×C×H×W) 입력이 필요합니다") \
    X(net_interp_1d,        "the input is 1-D (N×C×L) to interpolate, but {} has two values", "보간할 입력은 1차원(N×C×L)인데 {}에 값이 두 개 있습니다") \
    X(net_output_empty_or_large, "the output would be empty (or too large): {}", "출력이 비게 (또는 너무 크게) 됩니다: {}") \
    X(net_start_after_end,  "start_dim cannot come after end_dim", "start_dim은 end_dim보다 뒤에 올 수 없습니다") \
    X(net_features,         "in_features is {}, but the input {} has {} features (its last dimension){}", "in_features는 {}이지만 입력 {}의 특성은 {}개입니다 (마지막 차원){}") \
    X(net_hint_flatten_first, " — a Flatten() before it makes one row per sample", " — 앞에 Flatten()을 두면 샘플마다 한 행이 됩니다") \
    /* the network's positions, its PyTorch-code parser (core/network/code_*.cpp) */ \
    X(net_at_column,        "column {}: {}", "{}열: {}") \
    X(net_at_layer,         "layer {} ({}): {}", "레이어 {} ({}): {}") \
    X(net_input_colon,      "input: {}", "입력: {}") \
    X(w_list_and,           "{} and {}", "{}, {}") \
    X(w_an_expression,      "an expression", "식") \
    X(w_the_end,            "the end", "끝") \
    X(w_the_string,         "the string '{}'", "문자열 '{}'") \
    X(w_exp_layer,          "a layer such as Conv2d(1, 5, 5)", "Conv2d(1, 5, 5) 같은 레이어") \
    X(w_exp_paren_after,    "'(' after {}", "{} 뒤의 '('") \
    X(w_exp_comma_or_paren, "',' or ')'", "',' 또는 ')'") \
    X(w_exp_comma_or_bracket, "',' or ']'", "',' 또는 ']'") \
    X(w_exp_value,          "a value (a number, a tuple, True/False, None or a quoted string)", "값 (수, 튜플, True/False, None 또는 따옴표로 감싼 문자열)") \
    X(w_exp_module,         "a module such as Conv2d(…)", "Conv2d(…) 같은 모듈") \
    X(w_exp_closing,        "')' closing {}", "{}을(를) 닫는 ')'") \
    X(w_exp_colon,          "':' after the module's name", "모듈 이름 뒤의 ':'") \
    X(syn_expected,         "expected {}, found {}", "{}이(가) 와야 하는데 {}이(가) 나왔습니다") \
    X(syn_unclosed_string,  "the quoted string is never closed", "따옴표로 연 문자열이 닫히지 않았습니다") \
    X(syn_number_text_too_large, "the number {} is too large", "수 {}이(가) 너무 큽니다") \
    X(syn_unexpected_char,  "unexpected character '{}'", "예상하지 못한 문자 '{}'") \
    X(syn_after_close,      "unexpected text after the closing ')'", "닫는 ')' 뒤에 예상하지 못한 글자가 있습니다") \
    X(syn_nested,           "nested more than {} deep", "{}단계보다 깊게 중첩되어 있습니다") \
    X(syn_unclosed_call,    "missing ')': the '(' of {} is never closed", "')'가 없습니다: {}의 '('가 닫히지 않았습니다") \
    X(syn_positional_after_keyword, "positional argument follows keyword argument", "키워드 인수 뒤에 위치 인수가 옵니다") \
    X(syn_fraction,         "'/' gives a fraction here; write '//' for whole numbers", "'/'는 여기서 분수를 만듭니다; 정수에는 '//'를 쓰세요") \
    X(syn_division_by_zero, "division by zero", "0으로 나눕니다") \
    X(syn_whole_numbers_only, "only whole numbers can be added or multiplied here, got {}", "여기서는 정수만 더하거나 곱할 수 있습니다 (입력: {})") \
    X(syn_number_too_large, "the number is too large", "수가 너무 큽니다") \
    X(syn_sign_needs_number, "'{}' must be followed by a number", "'{}' 뒤에는 수가 와야 합니다") \
    /* the layer parser's signatures (core/network/code_layers.cpp), Python's TypeError */ \
    X(w_a_whole_number,     "a whole number", "정수") \
    X(w_true_or_false,      "True or False", "True 또는 False") \
    X(w_string_like_zeros,  "a string such as 'zeros'", "'zeros' 같은 문자열") \
    X(w_whole_or_pair,      "a whole number or a pair (h, w)", "정수 또는 쌍 (h, w)") \
    X(w_whole_or_pair_same, "a whole number or a pair (h, w) or 'same'/'valid'", "정수, 쌍 (h, w) 또는 'same'/'valid'") \
    X(w_whole_or_pair_none, "a whole number or a pair (h, w) or None", "정수, 쌍 (h, w) 또는 None") \
    X(w_whole_or_4tuple,    "a whole number or a 4-tuple (left, right, top, bottom)", "정수 또는 4-튜플 (left, right, top, bottom)") \
    X(w_whole_or_pair_items_none, "a whole number or a pair (h, w) whose items may be None", "정수 또는 항목이 None일 수 있는 쌍 (h, w)") \
    X(w_whole_or_none,      "a whole number or None", "정수 또는 None") \
    X(w_a_number,           "a number", "수") \
    X(w_string_like_nearest, "a string such as 'nearest'", "'nearest' 같은 문자열") \
    X(w_none_or_tanh,       "'none' or 'tanh'", "'none' 또는 'tanh'") \
    X(w_hint_did_you_mean,  " (did you mean '{}'?)", " ('{}'을(를) 말씀하셨나요?)") \
    X(sig_not_a_layer_did_you_mean, "{} is not a layer; did you mean {}?", "{}은(는) 레이어가 아닙니다. {}을(를) 말씀하셨나요?") \
    X(sig_unknown_layer,    "{} is not a layer ConvScope knows (it knows {})", "{}은(는) ConvScope가 아는 레이어가 아닙니다 (아는 레이어: {})") \
    X(sig_too_many_positional_1, "{} takes at most {} positional argument, got {}", "{}은(는) 위치 인수를 최대 {}개 받는데 {}개가 들어왔습니다") \
    X(sig_too_many_positional, "{} takes at most {} positional arguments, got {}", "{}은(는) 위치 인수를 최대 {}개 받는데 {}개가 들어왔습니다") \
    X(sig_unexpected_keyword, "{} got an unexpected keyword argument '{}'{}", "{}에 예상하지 못한 키워드 인수 '{}'이(가) 있습니다{}") \
    X(sig_multiple_values,  "{} got multiple values for argument '{}'", "{}에 인수 '{}'의 값이 여러 개 있습니다") \
    X(sig_missing_argument, "{} missing required argument '{}'", "{}에 필요한 인수 '{}'이(가) 없습니다") \
    X(sig_type,             "{} must be {}, got {}", "{}은(는) {}이어야 합니다 (입력: {})") \
    /* values the layer parser refuses as PyTorch does (core/network/code_layers.cpp) */ \
    X(arg_padding_string,   "invalid padding string '{}', should be 'same' or 'valid'", "잘못된 padding 문자열 '{}': 'same' 또는 'valid'여야 합니다") \
    X(arg_padding_mode,     "padding_mode must be 'zeros', 'reflect', 'replicate' or 'circular', got '{}'", "padding_mode는 'zeros', 'reflect', 'replicate', 'circular' 중 하나여야 합니다 (입력: '{}')") \
    X(arg_pool_stride,      "stride must be at least 1 (or None for the kernel size), got {}", "stride는 1 이상이어야 합니다 (커널 크기로 하려면 None) (입력: {})") \
    X(arg_return_indices,   "return_indices=True makes {} return (output, indices); a stack needs one output", "return_indices=True이면 {}이(가) (output, indices)를 돌려줍니다; 스택에는 출력이 하나여야 합니다") \
    X(arg_divisor_override, "divisor_override is not supported here", "여기서는 divisor_override를 지원하지 않습니다") \
    X(arg_pad4_count,       "padding must be one number or four (left, right, top, bottom), got {}", "padding은 숫자 하나 또는 네 개 (left, right, top, bottom)여야 합니다 (개수: {})") \
    X(arg_output_size_min,  "output_size must be at least 1, got {}", "output_size는 1 이상이어야 합니다 (입력: {})") \
    X(arg_scale_factor_positive, "scale_factor must be above 0, got {}", "scale_factor는 0보다 커야 합니다 (입력: {})") \
    X(arg_upsample_mode,    "mode '{}' is not supported here (ConvScope knows 'nearest' and 'bilinear')", "mode '{}'은(는) 여기서 지원하지 않습니다 (ConvScope는 'nearest'와 'bilinear'를 압니다)") \
    X(arg_gelu_approximate, "approximate must be 'none' or 'tanh', got '{}'", "approximate는 'none' 또는 'tanh'여야 합니다 (입력: '{}')") \
    X(arg_finite,           "{} must be a finite number, got {}", "{}은(는) 유한한 수여야 합니다 (입력: {})") \
    /* input shapes (parse_input_shape, check_network, the pasted code's torch.randn) */ \
    X(shape_not_a_shape,    "'{}' is not a shape such as 1,1,28,28", "'{}'은(는) 1,1,28,28 같은 모양이 아닙니다") \
    X(shape_rank_text,      "the input shape must have 1 to 4 dimensions (N,C,H,W), got '{}'", "입력 모양은 1~4차원(N,C,H,W)이어야 합니다 (입력: '{}')") \
    X(shape_dim_min,        "every dimension of the input shape must be at least 1, got {}", "입력 모양의 모든 차원은 1 이상이어야 합니다 (입력: {})") \
    X(net_input_over_limits, "the input {} is larger than the limits", "입력 {}이(가) 한도보다 큽니다") \
    X(net_input_rank,       "the input must have 1 to 4 dimensions (N, C, H, W), got {}", "입력은 1~4차원(N, C, H, W)이어야 합니다 (입력: {})") \
    X(net_input_dims,       "every input dimension must be at least 1 and the input within the limits, got {}", "입력의 모든 차원은 1 이상이고 입력은 한도 안이어야 합니다 (입력: {})") \
    X(imp_input_whole,      "the input shape must be whole numbers, got {}", "입력 모양은 정수여야 합니다 (입력: {})") \
    X(imp_input_rank,       "the input must have 1 to 4 dimensions (N, C, H, W)", "입력은 1~4차원(N, C, H, W)이어야 합니다") \
    X(imp_input_dim_min,    "every input dimension must be at least 1", "입력의 모든 차원은 1 이상이어야 합니다") \
    X(imp_input_limits,     "the input is larger than the limits", "입력이 한도보다 큽니다") \
    X(imp_stack_too_large,  "the stack is larger than ConvScope takes (100,000 layers)", "스택이 ConvScope가 받는 크기(레이어 100,000개)보다 큽니다") \
    X(imp_no_layers,        "no layers found: paste lines such as nn.Conv2d(1, 5, 5) or nn.MaxPool2d(2) (ConvScope knows {})", "레이어가 없습니다: nn.Conv2d(1, 5, 5)나 nn.MaxPool2d(2) 같은 줄을 붙여 넣으세요 (ConvScope가 아는 레이어: {})") \
    /* what an import read or assumed (CodeImport::notes; core/network/code_import.cpp, code_lines.cpp) */ \
    X(imp_read_as,          "{} read as {}", "{}을(를) {}(으)로 읽었습니다") \
    X(imp_read_as_rows,     "{}(…, …) read as Flatten() (one row per sample)", "{}(…, …)을(를) Flatten()으로 읽었습니다 (샘플마다 한 행)") \
    X(imp_called_again,     "{} is called again; its layers are repeated", "{}이(가) 다시 호출되어 그 레이어들을 한 번 더 넣었습니다") \
    X(imp_never_called,     "{} is never called, so it is left out", "{}은(는) 호출되지 않아 넣지 않았습니다") \
    X(w_a_layer,            "a layer", "레이어 하나") \
    X(imp_assumed_input,    "no input shape in the code: assumed {}", "코드에 입력 모양이 없어 {}(으)로 가정했습니다") \
    X(imp_flatten_put_in,   "Flatten() put in as layer {}, for layer {} ({}): it reads {} features, the input {} flattened", "Flatten()을 {}번 레이어로 넣었습니다. {}번 레이어({})가 특성 {}개를 읽으며, 이는 입력 {}을(를) 펼친 것입니다") \
    /* running the stack, its weights and its stepper hand-off (core/network/run.cpp) */ \
    X(run_preset_conv_only, "only Conv2d layers take preset kernels", "프리셋 커널은 Conv2d 레이어에만 넣을 수 있습니다") \
    X(run_weights_mismatch, "the weights do not match the layer", "가중치가 레이어에 맞지 않습니다") \
    X(run_no_output_channel, "output channel {} does not exist", "출력 채널 {}이(가) 없습니다") \
    X(run_weight_shape,     "the weight must be {}, got {}", "가중치의 모양은 {}이어야 합니다 (받은 모양: {})") \
    X(run_bias_count,       "the bias must have {} values", "편향에는 값이 {}개 있어야 합니다") \
    X(run_no_bias,          "no bias expected", "편향이 없어야 합니다") \
    X(run_input_shape,      "the input must be {}, got {}", "입력의 모양은 {}이어야 합니다 (받은 모양: {})") \
    X(run_weights_count,    "expected weights for {} layers, got {}", "레이어 {}개의 가중치가 필요하지만 {}개가 들어왔습니다") \
    X(step_no_window,       "{} has no sliding window to step through", "{}에는 단계별로 따라갈 슬라이딩 창이 없습니다") \
    X(step_input_rank,      "the layer's input {} is not C×H×W or N×C×H×W", "레이어의 입력 {}이(가) C×H×W 또는 N×C×H×W가 아닙니다") \
    X(step_layer_misfit,    "the layer does not fit its input", "레이어가 입력에 맞지 않습니다") \
    X(step_too_many_channels, "each output channel of this layer reads {} input channels; the stepper shows at most {}", "이 레이어의 출력 채널은 각각 입력 채널 {}개를 읽지만 단계별 계산은 최대 {}개까지 보여 줍니다") \
    /* the network view's model (core/network/model.cpp) */ \
    X(model_input_rank,     "the input must have 1 to 4 dimensions", "입력은 1~4차원이어야 합니다") \
    X(model_no_layer,       "no layer {}", "레이어 {}이(가) 없습니다") \
    X(model_cannot_move,    "layer {} cannot move there", "레이어 {}을(를) 그리로 옮길 수 없습니다") \
    X(model_no_channel,     "layer {} has no channel {}", "레이어 {}에 채널 {}이(가) 없습니다") \
    X(model_no_bundled,     "no bundled stack '{}'", "내장 스택 '{}'이(가) 없습니다") \
    X(model_no_maps,        "no feature maps yet", "아직 특성 맵이 없습니다") \
    X(model_no_such_layer,  "no such layer", "그런 레이어가 없습니다") \
    X(model_row_not_map,    "a row of values is not a map", "값 한 줄은 맵이 아닙니다") \
    X(model_no_such_channel, "no such channel", "그런 채널이 없습니다") \
    /* receptive-field paths (core/network/receptive_field.cpp) */ \
    X(rf_not_checked,       "the stack does not check out", "스택이 검사를 통과하지 못합니다") \
    X(rf_no_layer,          "layer {} does not exist", "레이어 {}이(가) 없습니다") \
    X(rf_input_no_hw,       "the input has no height and width", "입력에 높이와 너비가 없습니다") \
    X(rf_stops_no_hw,       "the receptive field stops at layer {} ({}): it has no height and width", "수용 영역이 레이어 {} ({})에서 멈춥니다: 높이와 너비가 없습니다") \
    X(rf_outside,           "({}, {}) is outside the {}×{} map", "({}, {})이(가) {}×{} 맵 밖입니다") \
    X(rf_stops_mixes,       "the receptive field stops at layer {} ({}): it mixes positions", "수용 영역이 레이어 {} ({})에서 멈춥니다: 위치를 섞습니다") \
    X(rf_too_many_paths,    "too many paths to count", "경로가 너무 많아 셀 수 없습니다") \
    /* the stepper, tensors, backends */ \
    X(stepper_input_rank,   "the stepper's input must be C×H×W, got {}", "단계별 계산의 입력은 C×H×W여야 합니다 (모양: {})") \
    X(type_number_or_hw,    "type a number, or H×W", "숫자 또는 H×W를 입력하세요") \
    X(tensor_over_limit,    "a tensor of shape {} is larger than the limit of {} elements", "모양 {}의 텐서가 한도인 원소 {}개보다 큽니다") \
    X(index_outside,        "{} {} is outside 0..{}", "{} {}이(가) 0..{} 범위 밖입니다") \
    X(backend_unavailable,  "backend {} is unavailable: {}", "백엔드 {}을(를) 쓸 수 없습니다: {}") \
    X(backend_unknown,      "unknown backend '{}' (choose {})", "알 수 없는 백엔드 '{}' ({} 중에서 고르세요)") \
    /* files (core/io/fileio.cpp); the OS's reasons (strerror's English where the catalogue has no word) */ \
    X(w_a_folder,           "a folder", "폴더") \
    X(w_a_fifo,             "a FIFO (named pipe)", "FIFO (이름 있는 파이프)") \
    X(w_a_device,           "a device", "장치") \
    X(w_a_socket,           "a socket", "소켓") \
    X(w_not_regular,        "not a regular file", "일반 파일이 아님") \
    X(os_enoent,            "No such file or directory", "파일이나 폴더가 없습니다") \
    X(os_eacces,            "Permission denied", "권한이 없습니다") \
    X(os_eisdir,            "Is a directory", "폴더입니다") \
    X(os_enotdir,           "Not a directory", "폴더가 아닙니다") \
    X(os_enospc,            "No space left on device", "장치에 남은 공간이 없습니다") \
    X(os_erofs,             "Read-only file system", "읽기 전용 파일 시스템입니다") \
    X(os_eperm,             "Operation not permitted", "허용되지 않은 작업입니다") \
    X(os_enametoolong_sys,  "File name too long", "파일 이름이 너무 깁니다") \
    X(os_eloop_sys,         "Too many levels of symbolic links", "심볼릭 링크가 너무 많이 이어집니다") \
    X(os_enametoolong,      "the path is too long", "경로가 너무 깁니다") \
    X(os_eloop,             "too many levels of symbolic links", "심볼릭 링크가 너무 많이 이어집니다") \
    X(cannot_open,          "cannot open {}: {}", "{}을(를) 열 수 없습니다: {}") \
    X(cannot_write,         "cannot write {}: {}", "{}을(를) 쓸 수 없습니다: {}") \
    X(cannot_read,          "cannot read {}", "{}을(를) 읽을 수 없습니다") \
    X(cannot_read_all,      "cannot read all of {}", "{}을(를) 끝까지 읽을 수 없습니다") \
    X(not_regular_file,     "{} is {}, not a regular file", "{}은(는) 일반 파일이 아닙니다 ({})") \
    X(write_not_regular,    "cannot write {}: it is {}, not a regular file (it is not replaced)", "{}을(를) 쓸 수 없습니다: 일반 파일이 아니라 {}입니다 (바꾸지 않았습니다)") \
    X(file_too_large,       "{} is {} bytes, over the limit of {}", "{}은(는) {}바이트로 한도 {}바이트를 넘습니다") \
    /* images (core/io/image.cpp; the decoders' own details are still English text) */ \
    X(path_colon,           "{}: {}", "{}: {}") \
    X(image_empty_size,     "the image header gives an empty size {}", "이미지 헤더의 크기 {}이(가) 비어 있습니다") \
    X(image_side_over_limit, "the image is {} pixels; each side may be at most {}", "이미지가 {}픽셀입니다; 한 변은 최대 {}픽셀입니다") \
    X(image_pixels_over_limit, "the image is {} = {} pixels, over the limit of 100 megapixels", "이미지가 {} = {}픽셀로 한도 1억 픽셀을 넘습니다") \
    X(image_file_empty,     "the file is empty, not an image", "파일이 비어 있어 이미지가 아닙니다") \
    X(image_file_too_large, "the file is too large to be read as an image", "파일이 너무 커서 이미지로 읽을 수 없습니다") \
    X(image_format_refused, "{}, which ConvScope does not read (it reads {})", "ConvScope가 읽지 않는 형식입니다: {} (읽는 형식: {})") \
    X(image_not_readable,   "not an image ConvScope can read (it reads {})", "ConvScope가 읽을 수 있는 이미지가 아닙니다 (읽는 형식: {})") \
    X(image_decoded_malformed, "the image decoded to a malformed {} picture", "이미지를 풀었더니 {} 크기의 잘못된 그림이 나왔습니다") \
    X(image_too_large_to_filter, "the image {} is too large to filter: {}", "이미지 {}이(가) 너무 커서 필터를 적용할 수 없습니다: {}") \
    X(gpu_unavailable,      "the gpu backend is unavailable: {}", "gpu 백엔드를 쓸 수 없습니다: {}") \
    /* the image filter (core/image_lab/filter.cpp) */ \
    X(display_map_unknown,  "display map '{}' is not clamp, abs, normalize or abs-scaled", "표시 방식 '{}'은(는) clamp, abs, normalize, abs-scaled 중 하나가 아닙니다") \
    X(filter_input_rank,    "the filter needs a C×H×W image tensor, got {}", "필터에는 C×H×W 이미지 텐서가 필요합니다 (모양: {})") \
    X(cannot_show_output,   "cannot show a {} output as an image (1 or 3 channels)", "{} 출력은 이미지로 보여 줄 수 없습니다 (채널 1개 또는 3개)") \
    X(output_pixel_outside, "output pixel ({}, {}) is outside the {}×{} output", "출력 픽셀 ({}, {})이(가) {}×{} 출력 밖입니다") \
    X(stepper_kernel_limit, "the stepper shows kernels up to {}×{}", "단계별 계산은 {}×{}까지의 커널만 보여 줍니다") \
    X(pixel_window_too_large, "the window of this pixel is larger than the stepper's {}×{} grid", "이 픽셀의 창이 단계별 계산의 {}×{} 격자보다 큽니다") \
    /* the image lab (core/image_lab/image_lab.cpp) and its banded filter (core/image_lab/filter.cpp) */ \
    X(w_padding,            "padding", "패딩") \
    X(w_pool_window,        "the pooling window", "풀링 창") \
    X(filter_cancelled,     "superseded by a newer edit", "새 편집으로 대체되었습니다") \
    X(band_output_mismatch, "band output {} does not fit the output", "띠 출력 {}이(가) 출력에 맞지 않습니다") \
    X(lab_no_preset,        "no preset is chosen", "프리셋을 고르지 않았습니다") \
    X(lab_no_size,          "the kernel has no size to set", "이 커널에는 정할 크기가 없습니다") \
    X(lab_size_range,       "size must be 1–{}", "크기는 1–{}이어야 합니다") \
    X(lab_no_sigma,         "the kernel takes no σ", "이 커널은 σ를 받지 않습니다") \
    X(lab_sigma_positive,   "σ must be a positive number", "σ는 양수여야 합니다") \
    X(lab_cell_outside,     "cell ({}, {}) is outside the kernel", "칸 ({}, {})이(가) 커널 밖입니다") \
    X(lab_weight_finite,    "a weight must be a finite number", "가중치는 유한한 수여야 합니다") \
    X(lab_divisor_nonzero,  "the divisor must be a non-zero number", "나누는 수는 0이 아닌 수여야 합니다") \
    X(lab_offset_finite,    "the offset must be a finite number", "오프셋은 유한한 수여야 합니다") \
    X(lab_at_least,         "{} must be at least {}", "{} 값은 {} 이상이어야 합니다") \
    X(lab_backend_unknown,  "unknown backend '{}'", "알 수 없는 백엔드 '{}'") \
    X(lab_no_backend,       "no backend", "백엔드가 없습니다") \
    X(lab_too_large_to_explain, "the photo is too large to explain", "사진이 너무 커서 설명할 수 없습니다") \
    X(lab_no_pixel_explained, "no pixel is explained", "설명하는 픽셀이 없습니다") \
    X(lab_nothing_to_save,  "nothing to save yet", "아직 저장할 것이 없습니다") \
    /* kernels (core/image_lab/kernels.cpp) */ \
    X(at_line,              "line {}: {}", "{}행: {}") \
    X(path_then,            "{} {}", "{}: {}") \
    X(not_a_number,         "not a number", "숫자가 아닙니다") \
    X(token_not_a_number,   "'{}' is not a number", "'{}'은(는) 숫자가 아닙니다") \
    X(token_not_number_or_fraction, "'{}' is not a number or a fraction like 1/16", "'{}'은(는) 숫자나 1/16 같은 분수가 아닙니다") \
    X(token_divides_by_0,   "'{}' divides by 0", "'{}'은(는) 0으로 나눕니다") \
    X(kernel_unknown,       "unknown kernel '{}' (choose {})", "알 수 없는 커널 '{}' ({} 중에서 고르세요)") \
    X(preset_no_definition, "preset '{}' has no definition", "프리셋 '{}'에 정의가 없습니다") \
    X(kernel_size_outside,  "kernel size {} is outside 1–{}", "커널 크기 {}이(가) 1–{} 범위 밖입니다") \
    X(sigma_finite,         "σ must be a finite number", "σ는 유한한 수여야 합니다") \
    X(kernel_name_size,     "kernel '{}': size must be 1–{}", "커널 '{}': 크기는 1–{}이어야 합니다") \
    X(kernel_takes_no_sigma, "kernel '{}' takes no σ", "커널 '{}'은(는) σ를 받지 않습니다") \
    X(kernel_sigma_positive, "kernel '{}': σ must be a positive number, as in gaussian5:1.4", "커널 '{}': σ는 gaussian5:1.4처럼 양수여야 합니다") \
    X(kernel_row_word,      "'{}' is not a number (rows hold numbers; other lines may be 'divisor D' or 'offset B')", "'{}'은(는) 숫자가 아닙니다 (행에는 숫자를 쓰고, 다른 줄은 'divisor D' 또는 'offset B'일 수 있습니다)") \
    X(kernel_word_one_number, "{} needs one number, e.g. '{} 16'", "{}에는 숫자가 하나 필요합니다. 예: '{} 16'") \
    X(kernel_second_word,   "a second {} line (the first is line {})", "{} 줄이 두 번째로 나옵니다 (첫 번째는 {}행)") \
    X(divisor_zero,         "the divisor must not be 0", "나누는 수는 0일 수 없습니다") \
    X(kernel_row_too_long,  "{} numbers; a row holds at most {}", "숫자 {}개; 한 행에는 최대 {}개까지 쓸 수 있습니다") \
    X(kernel_rows_differ,   "line {} has {} numbers but line {} has {}; every row needs the same count", "{}행에는 숫자가 {}개 있지만 {}행에는 {}개 있습니다; 모든 행의 개수가 같아야 합니다") \
    X(kernel_too_many_rows, "more than {} rows", "행이 {}개보다 많습니다") \
    X(kernel_no_rows,       "no kernel rows found (write one row per line, numbers separated by spaces or commas)", "커널 행이 없습니다 (한 줄에 한 행씩, 숫자는 공백이나 쉼표로 구분해 쓰세요)") \
    X(cells_sum_zero,       "the cells sum to 0, so they cannot be scaled to sum to 1", "칸의 합이 0이라 합이 1이 되게 조정할 수 없습니다") \
    X(kernel_resize_outside, "kernel size {}×{} is outside 1×1–15×15", "커널 크기 {}×{}이(가) 1×1–15×15 범위 밖입니다") \
    X(isa_unavailable,      "instruction set '{}' is not available here (choose auto, {})", "명령어 집합 '{}'은(는) 여기서 쓸 수 없습니다 (auto, {} 중에서 고르세요)") \
    /* why the fastest backend is not the gpu (core/engine/backend.cpp) */ \
    X(gpu_emulated,         "the OpenGL renderer is emulated on the CPU ({}), slower than simd", "OpenGL 렌더러가 CPU에서 에뮬레이션되어({}) simd보다 느립니다") \
    X(gpu_not_built,        "this build has no gpu backend", "이 빌드에는 gpu 백엔드가 없습니다")
// clang-format on

CONVSCOPE_TEXT_TABLE(ErrCode, unsigned short, CONVSCOPE_ERRORS, count_, kErrorTexts);
using ErrorTexts = TextPair;

// The number of arguments `code` takes.
constexpr std::size_t error_arity(ErrCode code) {
    return count_placeholders(kErrorTexts[std::size_t(code)].en);
}

// Every code's two languages hold the same placeholders, and no text is empty.
static_assert(texts_consistent(kErrorTexts, true),
              "an error code lacks a language or its languages' {} differ");

// The code's name as written in the catalogue (for tests and diagnostics).
std::string_view error_code_name(ErrCode code);

}  // namespace convscope
