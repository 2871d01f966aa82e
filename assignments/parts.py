"""The assignment's parts, in order, with their text in English and Korean.

A part lists the components the student writes in it; a component left out of ``--parts``
is given (locked, complete) so that the parts after it still run.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    id: str
    components: tuple[str, ...]
    title: dict[str, str]
    intro: dict[str, str]
    demo: str = ""                 # code run after the part's components: it uses them


PARTS: tuple[Part, ...] = (
    Part("graph", ("MulLayer", "AddLayer"),
         {"en": "1. The computational graph: multiplication and addition nodes",
          "ko": "1. 계산 그래프: 곱셈 노드와 덧셈 노드"},
         {"en": "Each node passes values forward and gradients backward. `MulLayer.backward` returns the "
                "upstream gradient times the *other* input; `AddLayer.backward` passes it on unchanged. Both "
                "return `(dx, dy)`.",
          "ko": "각 노드는 순전파로 값을, 역전파로 기울기를 전달합니다. `MulLayer.backward`는 상류의 기울기에 "
                "*다른 쪽* 입력을 곱해 돌려주고, `AddLayer.backward`는 그대로 흘려보냅니다. 둘 다 `(dx, dy)`를 "
                "반환합니다."},
         demo="apple, apple_num, orange, orange_num, tax = 100, 2, 150, 3, 1.1\n"
              "mul_apple, mul_orange, add_fruit, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()\n"
              "price = mul_tax.forward(add_fruit.forward(mul_apple.forward(apple, apple_num),\n"
              "                                          mul_orange.forward(orange, orange_num)), tax)\n"
              "dall_price, dtax = mul_tax.backward(1)\n"
              "dapple_price, dorange_price = add_fruit.backward(dall_price)\n"
              "dorange, dorange_num = mul_orange.backward(dorange_price)\n"
              "dapple, dapple_num = mul_apple.backward(dapple_price)\n"
              "print(round(price, 6), round(dapple, 6), dapple_num, round(dorange, 6), dorange_num, dtax)"
              "  # 715.0 2.2 110.0 3.3 165.0 650\n"),
    Part("activations", ("Relu", "Sigmoid"),
         {"en": "2. Activation layers: ReLU and sigmoid", "ko": "2. 활성화 함수 계층: ReLU와 시그모이드"},
         {"en": "`Relu` remembers where `x <= 0` and lets no gradient through there (the convention at 0 is the "
                "book's: the derivative is 0). `Sigmoid.backward` uses the forward *output*: "
                "dx = dout · y (1 − y). Do not write into the arrays you are given.",
          "ko": "`Relu`는 `x <= 0`인 위치를 기억했다가 그곳으로는 기울기를 흘려보내지 않습니다 (0에서의 미분은 교재처럼 "
                "0으로 봅니다). `Sigmoid.backward`는 순전파의 *출력*을 씁니다: dx = dout · y (1 − y). 인자로 받은 "
                "배열에 값을 쓰지 마세요."}),
    Part("affine_softmax", ("Affine", "softmax", "cross_entropy_error", "SoftmaxWithLoss"),
         {"en": "3. Affine and softmax-with-loss", "ko": "3. Affine 계층과 Softmax-with-Loss 계층"},
         {"en": "`Affine` flattens its input to (N, −1), keeps `dW` = xᵀ·dout and `db` = the sum of dout over the "
                "batch, and returns dx in the input's shape. `softmax` subtracts each row's maximum before `exp`; "
                "`cross_entropy_error` takes one-hot rows or label indices and averages over the batch; "
                "`SoftmaxWithLoss.backward` returns (y − t) / N, times dout.",
          "ko": "`Affine`은 입력을 (N, −1)로 평탄화하고, `dW` = xᵀ·dout, `db` = 배치에 대한 dout의 합을 저장하며, dx를 "
                "입력과 같은 형상으로 돌려줍니다. `softmax`는 `exp` 전에 각 행의 최댓값을 빼고, "
                "`cross_entropy_error`는 원-핫 행과 레이블 인덱스를 모두 받아 배치 평균을 냅니다. "
                "`SoftmaxWithLoss.backward`는 (y − t) / N에 dout을 곱해 돌려줍니다."}),
    Part("network", ("numerical_gradient", "TwoLayerNet"),
         {"en": "4. The two-layer net and its gradient check", "ko": "4. 2층 신경망과 기울기 확인"},
         {"en": "`numerical_gradient(f, x)` uses central differences and puts every element of `x` back. "
                "`TwoLayerNet.gradient` runs forward once, then `backward` through the layers in reverse order. "
                "The cell after it compares backprop with numerical differentiation on three real digits.",
          "ko": "`numerical_gradient(f, x)`는 중심 차분을 쓰고 `x`의 모든 원소를 원래대로 되돌립니다. "
                "`TwoLayerNet.gradient`는 순전파를 한 번 한 뒤 계층을 역순으로 `backward`합니다. 다음 셀은 실제 숫자 "
                "세 장으로 오차역전파와 수치 미분을 비교합니다."},
         demo="from labdata import load_mnist\n"
              "(x_train, t_train), (x_test, t_test) = load_mnist(one_hot_label=True, dtype=np.float64)\n"
              "net = TwoLayerNet(784, 10, 10)  # 10 hidden units: the numerical gradient takes 2 evaluations per parameter\n"
              "grad_numerical = net.numerical_gradient(x_train[:3, :], t_train[:3])\n"
              "grad_backprop = net.gradient(x_train[:3], t_train[:3])\n"
              "for key in ('W1', 'b1', 'W2', 'b2'):\n"
              "    print(key, np.mean(np.abs(grad_backprop[key] - grad_numerical[key])))\n"),
    Part("training", ("train",),
         {"en": "5. Training on MNIST", "ko": "5. MNIST로 학습하기"},
         {"en": "`train(network, x_train, t_train, x_test, t_test, iters_num, batch_size, learning_rate, seed)` "
                "picks a random mini-batch (images and labels by the same indices), takes the gradient, updates "
                "`network.params` in place, and returns the accuracy history. The cell after it draws the "
                "learning curve.",
          "ko": "`train(network, x_train, t_train, x_test, t_test, iters_num, batch_size, learning_rate, seed)`는 "
                "무작위 미니배치를 고르고(이미지와 레이블을 같은 인덱스로), 기울기를 구해 `network.params`를 그 자리에서 "
                "갱신하며, 정확도 기록을 돌려줍니다. 다음 셀이 학습 곡선을 그립니다."},
         demo="import matplotlib.pyplot as plt\n"
              "from labdata import load_mnist\n"
              "(x_train, t_train), (x_test, t_test) = load_mnist(one_hot_label=True, dtype=np.float64)\n"
              "history = train(TwoLayerNet(784, 50, 10), x_train, t_train, x_test, t_test,\n"
              "                iters_num=1000, batch_size=100, learning_rate=0.1, seed=0)\n"
              "plt.plot(history['train_acc'], label='train')\n"
              "plt.plot(history['test_acc'], label='test', linestyle='--')\n"
              "plt.xlabel('epoch'); plt.ylabel('accuracy'); plt.legend(); plt.show()\n"
              "print('test accuracy', history['test_acc'][-1])\n"),
)

PART_IDS = tuple(p.id for p in PARTS)
COMPONENTS = tuple(c for p in PARTS for c in p.components)

WORDS = {
    "en": {"title": "Chapter 5: Backpropagation", "setup": "Run this cell first.",
           "write": "Write `{name}` in the cell below. The cell after it checks it.",
           "given": "Given (from an earlier part): `{name}`."},
    "ko": {"title": "5장: 오차역전파법", "setup": "이 셀을 먼저 실행하세요.",
           "write": "아래 셀에 `{name}`을(를) 작성하세요. 그다음 셀이 확인합니다.",
           "given": "앞 파트에서 주어진 코드: `{name}`."},
}
