#include "core/io/npy.hpp"

#include <bit>
#include <cctype>
#include <cstring>
#include <string_view>

#include "core/io/fileio.hpp"
#include "core/support/limits.hpp"

namespace convscope {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

enum class Dtype { F4, F8, I4, I8 };

struct Header {
    Dtype dtype = Dtype::F4;
    bool big_endian = false;
    bool fortran = false;
    Shape shape;
};

// A tiny reader for the Python-literal dict of a .npy header.
class HeaderParser {
public:
    explicit HeaderParser(std::string_view s) : m_s(s) {}

    Result<Header> parse() {
        Header h;
        bool have_descr = false, have_order = false, have_shape = false;
        skip();
        if (!eat('{')) return fail<ErrCode::npy_not_dict>();
        for (;;) {
            skip();
            if (eat('}')) break;
            auto key = string_literal();
            if (!key) return key.err();
            skip();
            if (!eat(':')) return fail<ErrCode::npy_expected_colon>();
            skip();
            if (*key == "descr") {
                auto d = string_literal();
                if (!d) return d.err();
                auto s = set_dtype(*d, h);
                if (!s) return s.err();
                have_descr = true;
            } else if (*key == "fortran_order") {
                if (word("True"))
                    h.fortran = true;
                else if (word("False"))
                    h.fortran = false;
                else
                    return fail<ErrCode::npy_fortran_order>();
                have_order = true;
            } else if (*key == "shape") {
                auto s = shape(h.shape);
                if (!s) return s.err();
                have_shape = true;
            } else {
                return fail<ErrCode::npy_unknown_key>(*key);
            }
            skip();
            if (eat(',')) continue;
            skip();
            if (eat('}')) break;
            return fail<ErrCode::npy_expected_comma>();
        }
        if (!have_descr || !have_order || !have_shape) return fail<ErrCode::npy_lacks_keys>();
        return h;
    }

private:
    void skip() {
        while (m_i < m_s.size() && std::isspace(static_cast<unsigned char>(m_s[m_i]))) ++m_i;
    }
    bool eat(char c) {
        if (m_i < m_s.size() && m_s[m_i] == c) {
            ++m_i;
            return true;
        }
        return false;
    }
    bool word(std::string_view w) {
        if (m_s.substr(m_i, w.size()) == w) {
            m_i += w.size();
            return true;
        }
        return false;
    }
    Result<std::string> string_literal() {
        if (m_i >= m_s.size() || (m_s[m_i] != '\'' && m_s[m_i] != '"'))
            return fail<ErrCode::npy_expected_string>();
        const char q = m_s[m_i++];
        const size_t end = m_s.find(q, m_i);
        if (end == std::string_view::npos) return fail<ErrCode::npy_unterminated>();
        std::string out(m_s.substr(m_i, end - m_i));
        m_i = end + 1;
        return out;
    }
    Status shape(Shape& out) {
        if (!eat('(')) return fail<ErrCode::npy_shape_not_tuple>();
        for (;;) {
            skip();
            if (eat(')')) return {};
            int64_t v = 0;
            size_t digits = 0;
            while (m_i < m_s.size() && std::isdigit(static_cast<unsigned char>(m_s[m_i]))) {
                if (v > limits::kMaxDim) return fail<ErrCode::npy_absurd_dim>();
                v = v * 10 + (m_s[m_i++] - '0');
                ++digits;
            }
            if (digits == 0) return fail<ErrCode::npy_shape_malformed>();
            if (m_i < m_s.size() && m_s[m_i] == 'L') ++m_i;  // Python 2 long
            if (out.size() >= 8) return fail<ErrCode::npy_rank_over_8>();
            out.push_back(v);
            skip();
            if (eat(',')) continue;
            skip();
            if (eat(')')) return {};
            return fail<ErrCode::npy_shape_malformed>();
        }
    }
    static Status set_dtype(const std::string& d, Header& h) {
        if (d.size() != 3 || (d[0] != '<' && d[0] != '>' && d[0] != '|' && d[0] != '='))
            return fail<ErrCode::npy_dtype>(d);
        h.big_endian = d[0] == '>';
        const std::string_view t(d.data() + 1, 2);
        if (t == "f4")
            h.dtype = Dtype::F4;
        else if (t == "f8")
            h.dtype = Dtype::F8;
        else if (t == "i4")
            h.dtype = Dtype::I4;
        else if (t == "i8")
            h.dtype = Dtype::I8;
        else
            return fail<ErrCode::npy_dtype>(d);
        return {};
    }

    std::string_view m_s;
    size_t m_i = 0;
};

size_t dtype_size(Dtype d) {
    return d == Dtype::F4 || d == Dtype::I4 ? 4 : 8;
}

template <class T>
T load(const uint8_t* p, bool swap) {
    uint8_t b[sizeof(T)];
    std::memcpy(b, p, sizeof(T));
    if (swap)
        for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(b[i], b[sizeof(T) - 1 - i]);
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
}

float element(const uint8_t* p, Dtype d, bool swap) {
    switch (d) {
        case Dtype::F4:
            return load<float>(p, swap);
        case Dtype::F8:
            return float(load<double>(p, swap));
        case Dtype::I4:
            return float(load<int32_t>(p, swap));
        case Dtype::I8:
            return float(load<int64_t>(p, swap));
    }
    return 0.0f;
}

// Where the data of a .npy file lies and what it holds, checked against the file's size: every limit is
// checked from the header alone, so that an absurd shape is refused before the payload is read.
struct Layout {
    Header header;
    int64_t count = 0;
    size_t esize = 4;
    size_t data_offset = 0;
};

Result<Layout> npy_layout(std::span<const uint8_t> bytes, size_t file_size) {
    if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, 6) != 0) return fail<ErrCode::npy_no_magic>();
    const uint8_t major = bytes[6];
    size_t header_len = 0, offset = 0;
    if (major == 1) {
        header_len = size_t(bytes[8]) | size_t(bytes[9]) << 8;
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) return fail<ErrCode::npy_truncated_header>();
        header_len =
            size_t(bytes[8]) | size_t(bytes[9]) << 8 | size_t(bytes[10]) << 16 | size_t(bytes[11]) << 24;
        offset = 12;
    } else {
        return fail<ErrCode::npy_version>(major);
    }
    if (header_len > size_t(limits::kMaxNpyHeader)) return fail<ErrCode::npy_header_too_long>();
    if (bytes.size() < offset + header_len) return fail<ErrCode::npy_truncated_header>();
    const std::string_view text(reinterpret_cast<const char*>(bytes.data() + offset), header_len);
    auto header = HeaderParser(text).parse();
    if (!header) return header.err();
    Layout L;
    L.header = std::move(*header);
    L.count = shape_numel(L.header.shape);
    if (L.count < 0)
        return fail<ErrCode::npy_over_limit>(shape_to_string(L.header.shape), limits::kMaxTensorElements);
    L.esize = dtype_size(L.header.dtype);
    L.data_offset = offset + header_len;
    if (file_size - L.data_offset < size_t(L.count) * L.esize)
        return fail<ErrCode::npy_truncated_data>(shape_to_string(L.header.shape), size_t(L.count) * L.esize,
                                                 file_size - L.data_offset);
    return L;
}

}  // namespace

Result<Tensor> parse_npy(std::span<const uint8_t> bytes) {
    auto layout = npy_layout(bytes, bytes.size());
    if (!layout) return layout.err();
    const Header* header = &layout->header;
    const int64_t count = layout->count;
    const size_t esize = layout->esize;
    const size_t data_offset = layout->data_offset;
    const bool swap = header->big_endian != (std::endian::native == std::endian::big);
    Tensor t(header->shape, std::vector<float>(size_t(count)));
    const uint8_t* src = bytes.data() + data_offset;
    const Shape& s = header->shape;
    // An empty array has nothing to read, and its other dimensions may be large enough that the Fortran
    // strides below would overflow (a fuzz finding: shape (52, 22, 0, 433330, 43333, 4333330, 433333)).
    if (count == 0) return t;
    if (!header->fortran || s.size() < 2) {
        for (int64_t i = 0; i < count; ++i)
            t.data[size_t(i)] = element(src + size_t(i) * esize, header->dtype, swap);
    } else {
        // Fortran order: the first index varies fastest. Walk the source in its order, scattering to C order.
        const size_t r = s.size();
        std::vector<int64_t> idx(r, 0), cstride(r, 1);
        for (size_t k = r - 1; k-- > 0;) cstride[k] = cstride[k + 1] * s[k + 1];
        for (int64_t i = 0; i < count; ++i) {
            int64_t dst = 0;
            for (size_t k = 0; k < r; ++k) dst += idx[k] * cstride[k];
            t.data[size_t(dst)] = element(src + size_t(i) * esize, header->dtype, swap);
            for (size_t k = 0; k < r; ++k) {
                if (++idx[k] < s[k]) break;
                idx[k] = 0;
            }
        }
    }
    return t;
}

Result<Shape> read_npy_shape(const std::string& path) {
    auto head = read_file_head(path, limits::kMaxNpyHeader + 12);
    if (!head) return head.err();
    auto layout = npy_layout(head->bytes, size_t(head->size));
    if (!layout) return fail<ErrCode::path_colon>(path, layout.err());
    return layout->header.shape;
}

Result<Tensor> read_npy(const std::string& path) {
    // The header first: an absurd shape or a truncated file is refused before the payload is read.
    auto head = read_file_head(path, limits::kMaxNpyHeader + 12);
    if (!head) return head.err();
    auto layout = npy_layout(head->bytes, size_t(head->size));
    if (!layout) return fail<ErrCode::path_colon>(path, layout.err());
    // Largest legitimate file: the element limit in float64, plus a header.
    auto bytes = read_file(path, limits::kMaxTensorElements * 8 + limits::kMaxNpyHeader + 16);
    if (!bytes) return bytes.err();
    auto t = parse_npy(*bytes);
    if (!t) return fail<ErrCode::path_colon>(path, t.err());
    return t;
}

std::vector<uint8_t> encode_npy(const Tensor& t) {
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
    for (size_t i = 0; i < t.shape.size(); ++i)
        dict += std::to_string(t.shape[i]) + (t.shape.size() == 1 || i + 1 < t.shape.size() ? "," : "") +
                (i + 1 < t.shape.size() ? " " : "");
    dict += "), }";
    // Pad with spaces so that the data starts on a 64-byte boundary; the header ends with '\n'.
    const size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    std::vector<uint8_t> out(10 + dict.size() + t.data.size() * 4);
    std::memcpy(out.data(), kMagic, 6);
    out[6] = 1;
    out[7] = 0;
    out[8] = uint8_t(dict.size() & 0xff);
    out[9] = uint8_t(dict.size() >> 8);
    std::memcpy(out.data() + 10, dict.data(), dict.size());
    uint8_t* dst = out.data() + 10 + dict.size();
    for (float v : t.data) {
        uint32_t u = std::bit_cast<uint32_t>(v);
        for (int b = 0; b < 4; ++b) *dst++ = uint8_t(u >> (8 * b));
    }
    return out;
}

Status write_npy(const std::string& path, const Tensor& t) {
    return write_file_atomic(path, encode_npy(t));
}

}  // namespace convscope
