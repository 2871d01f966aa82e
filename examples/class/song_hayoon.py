# A correct submission in a style unlike the book's: np.where masks, a tanh sigmoid, the @ operator,
# log-sum-exp softmax, label targets turned into one-hot rows, a plain list of layers. It must get full marks.
import numpy as np


def softmax(x):
    z = x - x.max(axis=-1, keepdims=True)
    return np.exp(z - np.log(np.exp(z).sum(axis=-1, keepdims=True)))


def _as_one_hot(t, shape):
    t = np.asarray(t)
    return t.reshape(shape) if t.size == np.prod(shape) else np.eye(shape[-1])[t.reshape(-1)].reshape(shape)


def cross_entropy_error(y, t):
    y2 = np.atleast_2d(y)
    t2 = _as_one_hot(t, y2.shape)
    return float(-(t2 * np.log(y2 + 1e-7)).sum() / len(y2))


def numerical_gradient(f, x, h=1e-4):
    grad = np.empty_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)  # views: writing flat[i] perturbs x itself
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        up = f(x)
        flat[i] = saved - h
        down = f(x)
        flat[i] = saved
        out[i] = (up - down) / (2 * h)
    return grad


class MulLayer:
    def forward(self, x, y):
        self.inputs = (x, y)
        return x * y

    def backward(self, dout):
        x, y = self.inputs
        return dout * y, dout * x


class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout, dout


class Relu:
    def forward(self, x):
        self.positive = x > 0
        return np.where(self.positive, x, 0.0).astype(x.dtype)

    def backward(self, dout):
        return np.where(self.positive, dout, 0.0).astype(dout.dtype)


class Sigmoid:
    def forward(self, x):
        self.y = 0.5 * (1.0 + np.tanh(0.5 * x))
        return self.y

    def backward(self, dout):
        return dout * self.y * (1.0 - self.y)


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.dW = self.db = None

    def forward(self, x):
        self.shape = x.shape
        self.x = x.reshape(len(x), -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.shape)


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.y = softmax(x)
        self.t = _as_one_hot(t, self.y.shape)
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout=1.0):
        return dout * (self.y - self.t) / len(self.y)


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        rng = np.random.default_rng(0)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }
        self.affines = [Affine(self.params["W1"], self.params["b1"]), Affine(self.params["W2"], self.params["b2"])]
        self.stack = [self.affines[0], Relu(), self.affines[1]]
        self.last = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.stack:
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last.forward(self.predict(x), t)

    def accuracy(self, x, t):
        t = np.asarray(t)
        labels = t if t.ndim == 1 else t.argmax(axis=1)
        return float(np.mean(self.predict(x).argmax(axis=1) == labels))

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last.backward()
        for layer in reversed(self.stack):
            dout = layer.backward(dout)
        first, second = self.affines
        return {"W1": first.dW, "b1": first.db, "W2": second.dW, "b2": second.db}
